import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider, createMemoryHistory } from '@tanstack/react-router';
import { act, render } from '@testing-library/react';
import { vi } from 'vitest';

import { Me } from '@fleetdeck/shared';

import { createQueryClient } from '../src/api/query-client.ts';
import { createAppRouter } from '../src/app/router.tsx';

// The whole app (router, query client, live layer) over a fake BFF: answers per path,
// and one fake EventSource the test writes events into.

export const ME = Me.parse({
  principal: { user: 'pat@demo', groups: ['fleet-platform-admins'], displayName: 'Pat' },
  scope: { grants: [] },
  authMode: 'demo',
  csrfToken: 'csrf-123',
});

export type Answer = { status?: number; body: unknown } | ((url: URL, init: RequestInit | undefined) => { status?: number; body: unknown });

/** A stand-in for the browser's EventSource: the test emits named events. */
export class FakeEventSource {
  static last: FakeEventSource | undefined;
  readyState = 1;
  onerror: ((e: Event) => unknown) | null = null;
  readonly url: string;
  #listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  #id = 0;
  constructor(url: string) {
    this.url = url;
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (e: MessageEvent) => void) {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  close() {
    this.readyState = 2;
  }
  emit(type: string, data: unknown) {
    const e = new MessageEvent(type, { data: JSON.stringify(data), lastEventId: String(++this.#id) });
    for (const l of this.#listeners.get(type) ?? []) l(e);
  }
}

/** Answers by pathname (exact), or by pathname + search when the key has a "?". Unknown paths answer 404. */
export function fakeBff(answers: Record<string, Answer>) {
  const calls: { url: URL; init: RequestInit | undefined }[] = [];
  const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input), 'http://localhost');
    calls.push({ url, init });
    const answer = answers[url.pathname + url.search] ?? answers[url.pathname];
    const { status = 200, body } = typeof answer === 'function' ? answer(url, init) : (answer ?? { status: 404, body: notFound() });
    return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  });
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal('EventSource', FakeEventSource);
  return { calls, fetchMock };
}

export const problem = (status: number, detail: string) => ({ type: 'about:blank', title: 'Problem', status, detail, requestId: 'req-9' });
const notFound = () => problem(404, 'not found');

export async function renderApp(path: string) {
  const queryClient = createQueryClient();
  const router = createAppRouter(queryClient, createMemoryHistory({ initialEntries: [path] }));
  const view = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  await act(() => router.load());
  return { ...view, router, queryClient };
}

/** The app's stream says it is live (the badge), as the BFF does after replay. */
export function streamReady() {
  act(() => FakeEventSource.last?.emit('ready', {}));
}
