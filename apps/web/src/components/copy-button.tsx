// A button that copies one value and says so ("Copied") for a moment, or says that copying failed.
import { useEffect, useState } from "react";
import { copyText } from "../lib/clipboard";

type CopyState = "idle" | "copied" | "failed";

const looks: Record<CopyState, { text: string; className: string }> = {
  idle: {
    text: "Copy",
    className:
      "border-slate-300 bg-white text-slate-700 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800",
  },
  copied: {
    text: "Copied",
    className:
      "border-emerald-400 bg-emerald-50 text-emerald-800 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-200",
  },
  failed: {
    text: "Copy failed",
    className: "border-red-400 bg-red-50 text-red-800 dark:border-red-700 dark:bg-red-950 dark:text-red-200",
  },
};

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<CopyState>("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 1800);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = () => {
    copyText(value).then(
      () => setState("copied"),
      () => setState("failed"),
    );
  };

  const look = looks[state];
  return (
    <>
      <button
        type="button"
        onClick={copy}
        aria-label={`Copy ${label}`}
        title={`Copy ${value}`}
        className={`inline-flex h-7 min-w-[5.25rem] shrink-0 items-center justify-center gap-1 rounded-md border px-2 text-xs font-medium whitespace-nowrap ${look.className}`}
      >
        {state === "copied" ? (
          <svg
            aria-hidden="true"
            viewBox="0 0 16 16"
            className="size-3.5"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
          >
            <path d="m3.5 8.5 3 3 6-7" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        ) : (
          <svg
            aria-hidden="true"
            viewBox="0 0 16 16"
            className="size-3.5"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.5"
          >
            <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
            <path d="M10.5 5.5v-2a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h2" />
          </svg>
        )}
        {look.text}
      </button>
      <span aria-live="polite" className="sr-only">
        {state === "idle" ? "" : `${look.text}: ${value}`}
      </span>
    </>
  );
}
