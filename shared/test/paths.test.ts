import { describe, expect, it } from 'vitest';

import { apiPaths, apiUrl, clusterHealthUrl, clusterUrl, demoLoginUrl } from '../src/index.ts';

describe('apiUrl', () => {
  it('substitutes :name parameters, URI-encoded', () => {
    expect(apiUrl(apiPaths.cluster, { name: 'prod-us-east' })).toBe('/api/clusters/prod-us-east');
    expect(apiUrl(apiPaths.clusterWorkloads, { name: 'a/b c?' })).toBe('/api/clusters/a%2Fb%20c%3F/workloads');
  });

  it('appends the query without undefined values', () => {
    expect(apiUrl(apiPaths.clusterHealth, { name: 'x' }, { range: '6h', step: undefined })).toBe('/api/clusters/x/health?range=6h');
    expect(apiUrl(apiPaths.events, {}, { lastEventId: undefined })).toBe('/api/events');
    expect(apiUrl(apiPaths.fleet, {}, { selector: 'env=prod, tier in (a,b)' })).toBe(
      '/api/fleet?selector=env%3Dprod%2C+tier+in+%28a%2Cb%29',
    );
    expect(apiUrl(apiPaths.audit, {}, { limit: 10, all: true })).toBe('/api/audit?limit=10&all=true');
  });

  it('leaves paths without parameters alone', () => {
    expect(apiUrl(apiPaths.me)).toBe('/api/me');
  });

  it('fails loudly on a missing parameter', () => {
    expect(() => apiUrl(apiPaths.cluster)).toThrow(/:name/);
  });

  it('builds the same URLs as the helpers it replaces', () => {
    expect(apiUrl(apiPaths.cluster, { name: 'a b' })).toBe(clusterUrl('a b'));
    expect(apiUrl(apiPaths.clusterHealth, { name: 'x' }, { range: '24h' })).toBe(clusterHealthUrl('x', '24h'));
    expect(apiUrl(apiPaths.demoLogin, {}, { as: 'platform-admin@demo' })).toBe(demoLoginUrl('platform-admin@demo'));
  });
});
