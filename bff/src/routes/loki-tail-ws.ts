import { randomUUID } from 'node:crypto';
import { STATUS_CODES, ServerResponse, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';

import { LogsTailQuery, type LogsTailLines, type Problem } from '@fleetdeck/shared';

import { resolveScope } from '../access/resolve-scope.ts';
import { holdsVerb } from '../access/scope-checks.ts';
import { HttpProblem, badRequestFromZod } from '../lib/problem.ts';
import { LokiError } from '../sources/loki/loki-error.ts';
import type { Services } from '../services.ts';
import { lokiProblem } from './loki-context.ts';
import { prepareTail } from './logs.ts';
import type { LogsTailRelay, TailSink } from './logs-tail-relay.ts';

/**
 * Loki's own tail websocket at /api/loki/api/v1/tail, so Grafana or logcli pointed at the
 * Loki-compatible route can tail too. Everything but the framing is GET /api/logs/tail's:
 * the same session, permission (`viewLogs`), parameters, per-group enforcement, limits and
 * per-frame scope filter (prepareTail + LogsTailRelay). Every refusal is an HTTP problem
 * answered before the upgrade; frames are Loki's `{"streams":[…],"dropped_entries":[…]}`.
 */

export const LOKI_TAIL_WS_PATH = '/api/loki/api/v1/tail';

/** A close reason is at most 123 bytes (RFC 6455 §5.5). */
const reason = (text: string) =>
  Buffer.from(text)
    .subarray(0, 123)
    .toString('utf8')
    .replace(/\uFFFD$/, '');

/** Writes a problem as a plain HTTP answer on the not-yet-upgraded socket, then drops it. */
function refuse(socket: Duplex, problem: Problem, cookies: readonly string[] = []): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify(problem);
  socket.end(
    [
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}`,
      'Content-Type: application/problem+json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      ...cookies.map((c) => `Set-Cookie: ${c}`),
      '',
      body,
    ].join('\r\n'),
  );
  socket.destroy();
}

/**
 * A browser sends its cookies on a websocket handshake from any page, so only this site's
 * pages (Origin's host is the Host asked for, or the deployment's public origin) or a
 * client that sends no Origin (logcli) may tail as the person. `Origin: null` never matches.
 */
export function originAllowed(req: IncomingMessage, services: Pick<Services, 'config'>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin === 'null') return false;
  const redirect = services.config.auth.oidc?.redirectUrl;
  if (redirect && new URL(redirect).origin === url.origin) return true;
  return req.headers.host !== undefined && url.host === req.headers.host.toLowerCase();
}

const setCookies = (res: ServerResponse): string[] => {
  const h = res.getHeader('set-cookie');
  return h === undefined ? [] : Array.isArray(h) ? h : [String(h)];
};

/** Loki's frame: `dropped_entries` is a list (one per entry) or null; ours carry no labels, which could name what is hidden. */
export function lokiFrame(data: LogsTailLines, nowNs: string): string {
  const dropped = data.dropped === 0 ? null : Array.from({ length: data.dropped }, () => ({ labels: {}, timestamp: nowNs }));
  return JSON.stringify({ streams: data.streams, dropped_entries: dropped });
}

function wsSink(ws: WebSocket, services: Pick<Services, 'isShuttingDown'>): TailSink {
  const ended = () => ws.readyState !== ws.OPEN;
  return {
    get buffered() {
      return ws.bufferedAmount;
    },
    get ended() {
      return ended();
    },
    lines: (data) => ws.send(lokiFrame(data, (BigInt(Date.now()) * 1_000_000n).toString())),
    heartbeat: () => {
      // Upgraded sockets are not drained by the HTTP server's close: end them here.
      if (services.isShuttingDown()) ws.close(1001, 'server shutting down');
      else ws.ping();
    },
    error: (problem) => ws.close(problem.status === 408 ? 1000 : 1011, reason(problem.detail ?? problem.title)),
    end: () => {
      if (!ended()) ws.close(1000);
    },
    onClose: (listener) => ws.on('close', listener),
  };
}

/** Session, origin, permission and parameters, then Loki's tail opened: the relay to upgrade into, or the problem to answer. */
async function admit(req: IncomingMessage, socket: Duplex, services: Services, requestId: string): Promise<LogsTailRelay> {
  if (!originAllowed(req, services)) throw new HttpProblem(403, 'cross-origin websocket refused (Origin must match this site)');
  // SessionManager reads through a ServerResponse (for renewals' Set-Cookie): one that is never sent; its cookies go on our answer.
  const res = new ServerResponse(req);
  cookiesOf.set(req, res);
  const session = await services.sessions.read(req, res);
  if (session.status !== 'active')
    throw new HttpProblem(401, session.status === 'expired' ? `${session.reason}; sign in again` : 'sign in to use this API');
  const scope = resolveScope(session.principal, services.policy);
  if (!holdsVerb(scope, 'viewLogs')) {
    services.audit.record({
      requestId,
      actor: session.principal.user,
      groups: session.principal.groups,
      action: 'denied',
      target: `GET ${LOKI_TAIL_WS_PATH}`,
      result: 'denied',
      detail: 'needs "viewLogs"',
    });
    throw new HttpProblem(403, 'this needs the "viewLogs" permission, which none of your roles grants');
  }
  const q = z.safeParse(LogsTailQuery, Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams));
  if (!q.success) throw badRequestFromZod('query', q.error);
  const relay = prepareTail({ services, scope, sid: session.sid, query: q.data, requestId, instance: LOKI_TAIL_WS_PATH });
  // The client may leave while Loki is still connecting: nothing stays open behind it.
  const left = () => relay.close();
  socket.once('close', left);
  try {
    await relay.open();
  } catch (err) {
    if (err instanceof LokiError) throw lokiProblem(err);
    throw err;
  } finally {
    socket.off('close', left);
  }
  return relay;
}

/** The never-sent responses SessionManager wrote to, by request (their Set-Cookie goes on the upgrade or the refusal). */
const cookiesOf = new WeakMap<IncomingMessage, ServerResponse>();

/** The HTTP server's `upgrade` listener: this path only; any other upgrade is a 404. */
export function lokiTailUpgrade(services: Services): ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) & {
  /** Closes every open tail (1001): upgraded sockets are not the HTTP server's any more, so its close() does not end them. */
  closeAll(): void;
} {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  wss.on('headers', (headers, req) => {
    const res = cookiesOf.get(req);
    if (res) headers.push(...setCookies(res).map((c) => `Set-Cookie: ${c}`));
  });
  const listener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const requestId = randomUUID();
    const problem = (status: number, detail: string, type = 'about:blank', errors?: Problem['errors']): Problem => ({
      type,
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail,
      instance: LOKI_TAIL_WS_PATH,
      requestId,
      ...(errors !== undefined && { errors }),
    });
    const path = (req.url ?? '').split('?')[0];
    if (path !== LOKI_TAIL_WS_PATH || req.method !== 'GET') return refuse(socket, problem(404, 'no websocket here'));
    admit(req, socket, services, requestId).then(
      (relay) => {
        if (socket.destroyed) return relay.close();
        // Also when the handshake is malformed (ws answers 400 and never calls back).
        socket.once('close', () => relay.close());
        wss.handleUpgrade(req, socket, head, (ws) => {
          // Loki's clients send nothing; anything they do send is ignored.
          if (!relay.streamTo(wsSink(ws, services))) ws.close(1011, 'Loki ended the live tail');
        });
      },
      (err: unknown) => {
        const cookies = setCookies(cookiesOf.get(req) ?? new ServerResponse(req));
        if (err instanceof HttpProblem) return refuse(socket, problem(err.status, err.message, err.type, err.errors), cookies);
        services.logger.error({ err, requestId }, 'Loki tail websocket failed');
        refuse(socket, problem(500, 'internal error; the request id locates it in the BFF log'), cookies);
      },
    );
  };
  return Object.assign(listener, {
    closeAll: () => {
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
    },
  });
}
