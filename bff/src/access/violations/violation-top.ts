/**
 * The `k` best items under `better` (a total order: negative when `a` comes first), in
 * that order. A bounded heap, so picking the busiest 30 of 1,000 clusters or 200 of
 * thousands of namespaces costs about one comparison per item, not a sort of them all.
 */
export function topK<T>(items: readonly T[], k: number, better: (a: T, b: T) => number): T[] {
  if (k >= items.length) return [...items].sort(better);
  // A heap with the worst kept item on top: a newcomer only has to beat that one.
  const heap: T[] = [];
  const worse = (i: number, j: number) => better(heap[i]!, heap[j]!) > 0;
  const swap = (i: number, j: number) => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  const up = (j: number) => {
    while (j > 0) {
      const p = (j - 1) >> 1;
      if (!worse(j, p)) return;
      swap(j, p);
      j = p;
    }
  };
  const down = (j: number) => {
    for (;;) {
      const l = 2 * j + 1;
      const r = l + 1;
      let m = j;
      if (l < heap.length && worse(l, m)) m = l;
      if (r < heap.length && worse(r, m)) m = r;
      if (m === j) return;
      swap(j, m);
      j = m;
    }
  };
  if (k <= 0) return [];
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      up(heap.length - 1);
    } else if (better(item, heap[0]!) < 0) {
      heap[0] = item;
      down(0);
    }
  }
  return heap.sort(better);
}
