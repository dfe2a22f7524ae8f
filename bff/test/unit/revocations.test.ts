import { describe, expect, it } from 'vitest';

import { RevocationList } from '../../src/auth/revocations.ts';
import { TtlCache } from '../../src/lib/ttl-cache.ts';
import { kubeUrl } from '../../src/sources/kube/impersonating-client.ts';

describe('revocation list', () => {
  it('refuses a revoked id until its session would have expired anyway, then forgets it', () => {
    let now = 1000;
    const list = new RevocationList({ now: () => now });
    list.revoke('a', 5000);
    expect(list.isRevoked('a')).toBe(true);
    expect(list.isRevoked('b')).toBe(false);
    now = 5001;
    expect(list.isRevoked('a')).toBe(false);
    expect(list.size).toBe(0);
  });

  it('stays bounded, dropping the entry nearest its natural expiry first', () => {
    const list = new RevocationList({ capacity: 2, now: () => 0 });
    list.revoke('a', 10);
    list.revoke('b', 20);
    list.revoke('c', 30);
    expect(list.size).toBe(2);
    expect(list.isRevoked('a')).toBe(false);
    expect(list.isRevoked('c')).toBe(true);
  });
});

describe('ttl cache', () => {
  it('reuses a value for its time to live and drops a failed promise at once', async () => {
    let now = 0;
    const cache = new TtlCache<Promise<number>>(100, 10, () => now);
    let calls = 0;
    const compute = () => Promise.resolve(++calls);
    expect(await cache.getOrCompute('k', compute)).toBe(1);
    expect(await cache.getOrCompute('k', compute)).toBe(1);
    now = 150;
    expect(await cache.getOrCompute('k', compute)).toBe(2);
    const failing = cache.getOrCompute('bad', () => Promise.reject(new Error('down')));
    await expect(failing).rejects.toThrow('down');
    expect(await cache.getOrCompute('bad', compute)).toBe(3);
  });
});

describe('API URLs under a server URL', () => {
  it('keeps a path prefix such as Rancher’s cluster proxy', () => {
    expect(kubeUrl('https://rancher.example/k8s/clusters/c-m-abc12', '/api/v1/namespaces').href).toBe(
      'https://rancher.example/k8s/clusters/c-m-abc12/api/v1/namespaces',
    );
    expect(kubeUrl('https://rancher.example/k8s/clusters/c-m-abc12/', '/api').href).toBe(
      'https://rancher.example/k8s/clusters/c-m-abc12/api',
    );
    expect(kubeUrl('https://10.0.0.1:6443', '/apis/x?limit=1').href).toBe('https://10.0.0.1:6443/apis/x?limit=1');
  });
});

describe('bounded memo', () => {
  it('evicts least recently used answers past its byte budget, keeping the one just computed', async () => {
    const { BoundedMemo } = await import('../../src/lib/bounded-memo.ts');
    const memo = new BoundedMemo<string>(64, { maxBytes: 10, sizeOf: (v) => v.length });
    memo.getOrCompute('a', () => 'aaaa');
    memo.getOrCompute('b', () => 'bbbb');
    memo.getOrCompute('a', () => 'never');
    memo.getOrCompute('c', () => 'cccc');
    expect(memo.size).toBe(2);
    expect(memo.bytes).toBe(8);
    // "b" was the least recently used.
    expect(memo.getOrCompute('b', () => 'new')).toBe('new');
    expect(memo.getOrCompute('huge', () => 'x'.repeat(100))).toHaveLength(100);
    expect(memo.size).toBe(1);
  });
});
