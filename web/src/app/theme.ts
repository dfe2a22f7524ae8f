export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'fleetdeck.theme';

export function readThemeChoice(): ThemeChoice {
  const stored = localStorage.getItem(KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

const media = () => window.matchMedia('(prefers-color-scheme: dark)');

/** Applies the choice to <html>; "system" follows the OS, live. */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  const dark = choice === 'dark' || (choice === 'system' && media().matches);
  document.documentElement.classList.toggle('dark', dark);
}

export function followSystemTheme(): void {
  media().addEventListener('change', () => applyTheme(readThemeChoice()));
  applyTheme(readThemeChoice());
}
