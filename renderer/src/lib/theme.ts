/**
 * The colour theme: System (follow the OS), Light or Dark, remembered in this browser profile
 * (localStorage: the desktop window and each web-mode browser keep their own). The effective
 * theme is one attribute on <html> (`data-theme="light" | "dark"`) that styles.css keys on, so
 * the OS preference is read in one place (here) and a manual choice always wins.
 */
import { useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'sluice.theme';
const listeners = new Set<() => void>();
let choice: ThemeChoice = 'system';
const darkQuery = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;

function readStored(): ThemeChoice {
  try {
    const stored = localStorage.getItem(KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

function apply(): void {
  const dark = choice === 'dark' || (choice === 'system' && darkQuery?.matches === true);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** Applies the remembered theme before the first render and follows the OS while on System. */
export function startTheme(): void {
  choice = readStored();
  apply();
  darkQuery?.addEventListener('change', apply);
}

export function setTheme(next: ThemeChoice): void {
  choice = next;
  try {
    if (next === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, next);
  } catch {
    // Storage refused (private mode): the choice still holds for this session.
  }
  apply();
  listeners.forEach((listener) => listener());
}

export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => choice,
  );
}
