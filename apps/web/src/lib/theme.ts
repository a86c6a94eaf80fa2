// Light/dark theme: follows prefers-color-scheme until the operator picks one, which is kept in localStorage.
import { useSyncExternalStore } from "react";

export type Theme = "light" | "dark";

const storageKey = "k3s-ha.theme";
const darkQuery = "(prefers-color-scheme: dark)";
const listeners = new Set<() => void>();

export function resolveTheme(stored: string | null, systemPrefersDark: boolean): Theme {
  if (stored === "light" || stored === "dark") return stored;
  return systemPrefersDark ? "dark" : "light";
}

function readStored(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null; // storage disabled: follow the system
  }
}

function systemPrefersDark(): boolean {
  return typeof matchMedia === "function" && matchMedia(darkQuery).matches;
}

export function currentTheme(): Theme {
  return resolveTheme(readStored(), systemPrefersDark());
}

function apply(): void {
  const theme = currentTheme();
  document.documentElement.classList.toggle("dark", theme === "dark");
  document.documentElement.style.colorScheme = theme;
  for (const listener of listeners) listener();
}

export function setTheme(theme: Theme): void {
  try {
    localStorage.setItem(storageKey, theme);
  } catch {
    // not persisted; still applied for this page
  }
  apply();
}

export function toggleTheme(): void {
  setTheme(currentTheme() === "dark" ? "light" : "dark");
}

/** Applies the theme before the first render and follows system changes while no choice is stored. */
export function initTheme(): void {
  apply();
  if (typeof matchMedia === "function") matchMedia(darkQuery).addEventListener("change", apply);
  window.addEventListener("storage", (event) => {
    if (event.key === storageKey) apply();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, currentTheme, () => "light");
}
