// Small building blocks every page uses: cards, page headings, empty and error states.
import { type ReactNode, useEffect, useRef } from "react";
import { isApiError } from "../lib/api";
import { announce, takeHeadingFocus } from "../lib/page-focus";

/** A text or password field of a form. */
export const formInputClass =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100";
/** The one main action of a form. */
export const primaryButtonClass =
  "rounded-lg bg-sky-700 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-500 dark:text-slate-950 dark:hover:bg-sky-400";
/** A second action beside the main one (cancel, export). */
export const secondaryButtonClass =
  "rounded-lg px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 disabled:opacity-60 dark:text-slate-200 dark:ring-slate-600 dark:hover:bg-slate-800";
/** An action that breaks something on purpose (start a fault, abort). */
export const dangerButtonClass =
  "rounded-lg bg-red-700 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 disabled:opacity-60 dark:bg-red-500 dark:text-slate-950 dark:hover:bg-red-400";
/** A select of a form. */
export const selectClass =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-2 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100";
/** A form's error message. */
export function FormAlert({ children }: { children: ReactNode }) {
  return (
    <p
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
    >
      {children}
    </p>
  );
}

export function Card({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <section
      className={`rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900 ${className}`}
    >
      {children}
    </section>
  );
}

export function CardTitle({ children, aside }: { children: ReactNode; aside?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
      <h2 className="text-sm font-semibold tracking-wide text-slate-800 dark:text-slate-100">{children}</h2>
      {aside && <div className="text-xs text-slate-600 dark:text-slate-400">{aside}</div>}
    </div>
  );
}

export function PageHeader({
  title,
  children,
  aside,
}: {
  title: string;
  children?: ReactNode;
  aside?: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — k3s HA Console`;
    if (takeHeadingFocus()) {
      heading.current?.focus();
      announce(`${title} page`);
    }
  }, [title]);
  return (
    <div className="mb-5 flex flex-wrap items-end justify-between gap-3">
      <div className="min-w-0">
        <h1
          ref={heading}
          tabIndex={-1}
          className="text-2xl font-semibold tracking-tight text-slate-900 outline-none dark:text-white"
        >
          {title}
        </h1>
        {children && <div className="mt-1 text-sm text-slate-600 dark:text-slate-400">{children}</div>}
      </div>
      {aside}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="py-10 text-center text-sm text-slate-600 dark:text-slate-400">
      Loading {what}…
    </p>
  );
}

export function LoadError({ what, error }: { what: string; error: unknown }) {
  const detail = isApiError(error, "NETWORK_ERROR")
    ? "The console server cannot be reached. This page tries again by itself when the connection is back."
    : isApiError(error)
      ? error.message
      : "Something went wrong.";
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
    >
      <p className="font-semibold">Could not load {what}.</p>
      <p className="mt-1">{detail}</p>
    </div>
  );
}

export function Mono({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <code className={`font-mono text-[0.8125rem] break-all ${className}`}>{children}</code>;
}

export type Tone = "good" | "bad" | "warn" | "neutral";

const toneStyle: Record<Tone, string> = {
  good: "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800",
  bad: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
  warn: "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  neutral:
    "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600",
};

/** A short status word in a coloured pill; the word carries the meaning, the colour only repeats it. */
export function Pill({ tone, children }: { tone: Tone; children: ReactNode }) {
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset ${toneStyle[tone]}`}
    >
      {children}
    </span>
  );
}
