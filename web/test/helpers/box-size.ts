import { vi } from 'vitest';

/**
 * happy-dom lays nothing out: give every box a size, so virtual lists render rows and charts
 * draw. Call in `beforeEach`; `vi.restoreAllMocks()` undoes it.
 */
export function giveEveryBoxASize(width: number, height: number): void {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(DOMRect.fromRect({ width, height }));
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(height);
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(height);
  vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockReturnValue(width);
}
