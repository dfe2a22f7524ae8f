import type { Config } from '../config/schema.ts';

/** The dashboard's public URL for links in notifications: configured, else the OIDC callback's origin, else loopback. */
export function publicUrlOf(config: Config): string {
  if (config.promotion.notifications.publicUrl) return config.promotion.notifications.publicUrl.replace(/\/+$/, '');
  if (config.auth.oidc) return new URL(config.auth.oidc.redirectUrl).origin;
  return `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${config.server.port}`;
}
