import type { LoginPageSeen } from './mfa.ts';

export { MFA_ACR, PASSWORD_ACR, TESTBED_OTP, type LoginPageSeen } from './mfa.ts';

/**
 * Drives a sign-in through the testbed's provider the way a browser would: follows
 * redirects with a cookie jar per host, fills the login form, and stops when the
 * provider redirects to `stopAt` (the relying party's callback), returning that URL.
 * Tests use it for real authorization-code flows; nothing here skips a step.
 */
export class CookieJar {
  readonly #cookies = new Map<string, Map<string, string>>();

  header(url: URL): string {
    return [...(this.#cookies.get(url.host) ?? new Map<string, string>()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(url: URL, res: Response): void {
    const jar = this.#cookies.get(url.host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    this.#cookies.set(url.host, jar);
  }
}

export async function browserFetch(jar: CookieJar, url: URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(url, res);
  return res;
}

const unescapeHtml = (s: string) => s.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c)));

/** The provider's account of what it was asked (the testbed login page's `data-*` attributes). */
function pageSeen(url: URL, body: string): LoginPageSeen | undefined {
  const tag = /<p id="sign-in-request"([^>]*)>/.exec(body)?.[1];
  if (tag === undefined) return undefined;
  const attr = (name: string) => {
    const v = new RegExp(`data-${name}="([^"]*)"`).exec(tag)?.[1];
    return v === undefined ? undefined : unescapeHtml(v);
  };
  const acrValues = attr('acr-values');
  const maxAge = attr('max-age');
  const prompt = attr('prompt');
  return {
    url: url.href,
    reasons: (attr('reasons') ?? '').split(' ').filter(Boolean),
    ...(acrValues !== undefined && { acrValues }),
    ...(maxAge !== undefined && { maxAge }),
    ...(prompt !== undefined && { prompt }),
    secondFactorRequired: attr('second-factor') === 'true',
  };
}

/**
 * `otp`: the one-time code typed into the form (a sign-in with a second factor); without
 * it the form is sent without one. `pages` lists every login form the provider showed —
 * none when the provider's session let the person through without signing in again.
 */
export async function signInThroughProvider(opts: {
  start: URL;
  user: string;
  password: string;
  otp?: string;
  stopAt: string;
  jar?: CookieJar;
  maxSteps?: number;
}): Promise<{ callback: URL; jar: CookieJar; pages: LoginPageSeen[] }> {
  const jar = opts.jar ?? new CookieJar();
  const pages: LoginPageSeen[] = [];
  let url = opts.start;
  let init: RequestInit = {};
  for (let step = 0; step < (opts.maxSteps ?? 20); step++) {
    if (url.href.startsWith(opts.stopAt)) return { callback: url, jar, pages };
    const res = await browserFetch(jar, url, init);
    init = {};
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    const body = await res.text();
    const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(body)?.[1];
    if (res.status === 200 && action) {
      const seen = pageSeen(url, body);
      if (seen) pages.push(seen);
      url = new URL(unescapeHtml(action), url);
      const form = new URLSearchParams({ login: opts.user, password: opts.password });
      if (opts.otp !== undefined) form.set('otp', opts.otp);
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      };
      continue;
    }
    throw new Error(`sign-in stopped at ${url.href} with ${res.status}: ${body.slice(0, 300)}`);
  }
  throw new Error('sign-in did not finish within the step limit');
}
