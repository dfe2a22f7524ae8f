import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import expressStaticGzip from 'express-static-gzip';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';

import { promApiPaths } from '@fleetdeck/shared';

import { authorize, parseInput } from './access/enforce.ts';
import { asciiJson } from './lib/ascii-json.ts';
import { HttpProblem, sendProblem } from './lib/problem.ts';
import { allRoutes } from './routes/index.ts';
import type { AnyRoute, Services } from './services.ts';

export type { Services } from './services.ts';

// Headers only the BFF may set on upstream calls. Dropped on arrival so that no code
// path can ever forward what a client sent.
const FORBIDDEN_INBOUND = /^(authorization|impersonate-.*|thanos-tenant|x-scope-orgid)$/i;
// A client's X-Request-ID is kept only when it is a UUID: the id lands in audit records,
// and free text there could forge or confuse them.
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CreatedApp {
  app: express.Express;
  routes: readonly AnyRoute[];
}

/** Whether people reach this BFF over https (the OIDC redirect URL is the deployment's public URL). */
export function servedOverHttps(config: Services['config']): boolean {
  return config.auth.oidc?.redirectUrl.startsWith('https:') ?? false;
}

/** `extraRoutes`: tests only — e.g. a handler that shows what reached it past the middleware. */
export function createApp(services: Services, extraRoutes: readonly AnyRoute[] = []): CreatedApp {
  const { config, logger } = services;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trustProxy);
  app.set('query parser', 'simple');
  // Routes that can answer 304 compute their own ETag once per answer; hashing every body is waste.
  app.set('etag', false);
  // Every JSON answer is ASCII (lib/ascii-json.ts says why). Express's own res.json would
  // stringify with its 'json …' settings, none of which this app uses.
  app.response.json = function json(this: Response, body?: unknown) {
    if (!this.get('Content-Type')) this.set('Content-Type', 'application/json');
    return this.send(asciiJson(body));
  };

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'upgrade-insecure-requests': null,
        },
      },
      // HSTS only where people reach us over TLS; on plain http it would be ignored or wrong.
      strictTransportSecurity: servedOverHttps(config) ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    for (const name of Object.keys(req.headers)) if (FORBIDDEN_INBOUND.test(name)) delete req.headers[name];
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    // Every API answer is about the person asking: never kept in a shared or disk cache.
    // Routes that revalidate with an ETag still answer 304 to If-None-Match.
    if (req.path.startsWith('/api/')) res.setHeader('cache-control', 'no-store');
    next();
  });
  app.use('/api', express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }));
  // The Prometheus-compatible API takes form POSTs, as Prometheus does; on its five paths only.
  app.post(Object.values(promApiPaths), express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 64 }));

  const routes = [...allRoutes(config), ...extraRoutes];
  registerRoutes(app, routes, services);

  app.use('/api', (req: Request, _res: Response, next: NextFunction) => {
    next(new HttpProblem(404, `no API route ${req.method} ${req.path}`));
  });
  serveSpa(app, config.web.staticDir);

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = String(res.locals.requestId ?? '');
    if (err instanceof HttpProblem) {
      if (err.cause !== undefined) logger.warn({ err: err.cause, requestId, path: req.path, status: err.status }, err.message);
      sendProblem(res, { type: err.type, status: err.status, detail: err.message, errors: err.errors, instance: req.path, requestId });
      return;
    }
    const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    if (status >= 400 && status < 500) {
      // body-parser and friends: a client mistake, described without internals.
      const detail = (err as { type?: string }).type === 'entity.parse.failed' ? 'request body is not valid JSON' : (err as Error).message;
      sendProblem(res, { type: 'about:blank', status, detail, instance: req.path, requestId });
      return;
    }
    logger.error({ err, requestId, path: req.path }, 'unhandled error');
    sendProblem(res, {
      type: 'about:blank',
      status: 500,
      detail: `unexpected error; quote request id ${requestId}`,
      instance: req.path,
      requestId,
    });
  });

  return { app, routes };
}

function registerRoutes(app: express.Express, routes: readonly AnyRoute[], services: Services): void {
  const seen = new Set<string>();
  for (const route of routes) {
    const kind = (route.permission as { kind?: string } | undefined)?.kind;
    if (kind !== 'public' && kind !== 'authenticated' && kind !== 'verb') {
      throw new Error(`route ${route.method.toUpperCase()} ${route.path} declares no permission; refusing to register it`);
    }
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`route ${key} registered twice`);
    seen.add(key);
    app[route.method](route.path, async (req: Request, res: Response) => {
      const requestId = String(res.locals.requestId);
      const end = services.metrics.duration.startTimer({ route: route.path, method: route.method });
      res.on('finish', () => {
        end();
        services.metrics.requests.inc({ route: route.path, method: route.method, status: String(res.statusCode) });
      });
      const identity = await authorize(route, req, res, services, requestId);
      const input = parseInput(route, req);
      await route.handler({ req, res, requestId, services, ...identity, ...input });
    });
  }
}

function serveSpa(app: express.Express, staticDir: string | undefined): void {
  if (!staticDir) return;
  const index = join(staticDir, 'index.html');
  // Hashed assets never change; index.html must always be revalidated. The build writes
  // .br and .gz beside each asset: the browser gets the smallest it accepts (Vary: Accept-Encoding).
  app.use(
    '/assets',
    expressStaticGzip(join(staticDir, 'assets'), {
      enableBrotli: true,
      orderPreference: ['br', 'gz'],
      index: false,
      serveStatic: { immutable: true, maxAge: '1y', fallthrough: false },
    }),
  );
  // The few unhashed files beside index.html (the favicon): a day. Chromium asks for the
  // favicon again on every same-document URL change (each range or filter change); kept, that
  // is answered from its cache instead of a request to the BFF each time (a Chromium trace).
  // It is a PNG: Chromium decodes it again each time too, and an SVG one costs a whole
  // isolated SVG document on the page's main thread (5–40 ms a range change; a PNG, 3).
  app.use(
    express.static(staticDir, {
      index: false,
      setHeaders: (res, path) => res.setHeader('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=86400'),
    }),
  );
  app.get('/{*splat}', (_req: Request, res: Response, next: NextFunction) => {
    if (!existsSync(index)) {
      next(new HttpProblem(503, `the dashboard is not built (no ${index}); run "npm start"`));
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
}
