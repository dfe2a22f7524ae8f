import { useSyncExternalStore } from 'react';

// SVG strokes cannot take Tailwind's `dark:` classes, so the palette is chosen in code
// from the same signal Tailwind reads: the `dark` class on <html> (app/theme.ts).
// Index 0 is the fleet's own colour; the rest tell the worst clusters apart.
const LIGHT = ['#0f766e', '#dc2626', '#c2410c', '#7c3aed', '#be185d', '#1d4ed8', '#4d7c0f', '#0369a1'];
const DARK = ['#2dd4bf', '#f87171', '#fb923c', '#a78bfa', '#f472b6', '#60a5fa', '#a3e635', '#38bdf8'];

function subscribe(listener: () => void): () => void {
  const observer = new MutationObserver(listener);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}
const isDark = () => document.documentElement.classList.contains('dark');

/** True while the page is dark; re-renders when the theme changes. */
export function useIsDark(): boolean {
  return useSyncExternalStore(subscribe, isDark, () => false);
}

export function chartColor(index: number, dark: boolean): string {
  const palette = dark ? DARK : LIGHT;
  return palette[index % palette.length]!;
}
