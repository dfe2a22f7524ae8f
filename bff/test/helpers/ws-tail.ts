import WebSocket, { type RawData } from 'ws';

/** One frame of Loki's tail websocket as a Loki client reads it. */
export interface LokiTailWsFrame {
  streams: { stream: Record<string, string>; values: [string, string][] }[];
  dropped_entries: { labels: Record<string, string>; timestamp: string }[] | null;
}

export type WsTail =
  | { status: 101; frames: LokiTailWsFrame[]; lines(): string[]; closed(): { code: number; reason: string } | undefined; leave(): void }
  | { status: number; body: string };

const text = (data: RawData) => (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString('utf8');

/**
 * Opens a websocket as Grafana or logcli would (`ws://…/loki/api/v1/tail?query=…`): either
 * it upgrades (101, then the frames so far) or the server answers plain HTTP (status and body).
 */
export function wsTail(httpUrl: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<WsTail> {
  const url = `${httpUrl.replace(/^http/, 'ws')}?${new URLSearchParams(params).toString()}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const frames: LokiTailWsFrame[] = [];
    let closed: { code: number; reason: string } | undefined;
    ws.on('message', (data) => frames.push(JSON.parse(text(data)) as LokiTailWsFrame));
    ws.on('close', (code, reason) => (closed = { code, reason: reason.toString('utf8') }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        status: 101,
        frames,
        lines: () => frames.flatMap((f) => f.streams.flatMap((s) => s.values.map((v) => v[1]))),
        closed: () => closed,
        leave: () => ws.close(1000),
      }),
    );
  });
}
