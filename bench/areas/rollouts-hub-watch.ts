import { KubeConfig, Watch } from '@kubernetes/client-node';

import type { BenchRun } from './rollouts-seed.ts';

const P = '/apis/placement.kubernetes-fleet.io/v1beta1';

/**
 * A bare watch on the bench's runs, straight from the hub: when it sees a change is the
 * floor any watcher (the BFF's informer included) can reach, so the SSE figure can be
 * split into the API server's part and the BFF's part.
 */
export class HubWatch {
  readonly #watch: Watch;
  readonly #aborts: AbortController[] = [];
  readonly #waiters = new Map<string, ((at: number) => void)[]>();

  constructor(kubeconfigFile: string) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigFile);
    this.#watch = new Watch(kc);
  }

  async follow(run: Pick<BenchRun, 'name' | 'namespace'>): Promise<void> {
    const path = run.namespace ? `${P}/namespaces/${run.namespace}/stagedupdateruns` : `${P}/clusterstagedupdateruns`;
    const abort = await this.#watch.watch(
      path,
      { fieldSelector: `metadata.name=${run.name}` },
      (phase) => {
        const at = performance.now();
        if (phase !== 'MODIFIED') return;
        const waiting = this.#waiters.get(run.name) ?? [];
        this.#waiters.delete(run.name);
        for (const w of waiting) w(at);
      },
      () => undefined,
    );
    this.#aborts.push(abort);
  }

  /** Resolves when the run's next modification arrives (register before making it). */
  next(name: string, timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the hub watch saw no change of ${name} in ${timeoutMs} ms`)), timeoutMs);
      const list = this.#waiters.get(name) ?? [];
      list.push((at) => {
        clearTimeout(timer);
        resolve(at);
      });
      this.#waiters.set(name, list);
    });
  }

  close(): void {
    for (const a of this.#aborts) a.abort();
  }
}
