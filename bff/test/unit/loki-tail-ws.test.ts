import type { IncomingMessage } from 'node:http';

import { describe, expect, it } from 'vitest';

import type { Config } from '../../src/config/schema.ts';
import { lokiFrame, originAllowed } from '../../src/routes/loki-tail-ws.ts';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const plain = { config: { auth: {} } as Config };
const behindProxy = { config: { auth: { oidc: { redirectUrl: 'https://fleet.example.com/api/auth/callback' } } } as Config };

describe('originAllowed', () => {
  it('lets a client without Origin (logcli) and this site’s own pages through', () => {
    expect(originAllowed(req({ host: 'bff.local:8080' }), plain)).toBe(true);
    expect(originAllowed(req({ host: 'bff.local:8080', origin: 'http://bff.local:8080' }), plain)).toBe(true);
    expect(originAllowed(req({ host: 'internal:8080', origin: 'https://fleet.example.com' }), behindProxy)).toBe(true);
  });

  it('refuses every other origin, `null` and garbage', () => {
    for (const origin of [
      'https://evil.example',
      'http://bff.local:8081',
      'http://bff.local',
      'null',
      'not a url',
      'http://bff.local:8080.evil.example',
    ])
      expect(originAllowed(req({ host: 'bff.local:8080', origin }), plain), origin).toBe(false);
    expect(originAllowed(req({ origin: 'http://bff.local:8080' }), plain)).toBe(false);
    expect(originAllowed(req({ host: 'internal:8080', origin: 'https://evil.example' }), behindProxy)).toBe(false);
  });
});

describe('lokiFrame', () => {
  it("writes Loki's frame: streams as they are, dropped_entries null or one label-less entry per dropped line", () => {
    const streams = [{ stream: { cluster: 'c', namespace: 'n' }, values: [['1700000000000000000', 'hi']] as [string, string][] }];
    expect(JSON.parse(lokiFrame({ streams, dropped: 0 }, '5'))).toEqual({ streams, dropped_entries: null });
    expect(JSON.parse(lokiFrame({ streams: [], dropped: 2 }, '5'))).toEqual({
      streams: [],
      dropped_entries: [
        { labels: {}, timestamp: '5' },
        { labels: {}, timestamp: '5' },
      ],
    });
  });
});
