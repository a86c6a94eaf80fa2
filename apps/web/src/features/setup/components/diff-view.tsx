// A preview's line diff: added lines green with `+`, removed red with `-`, the rest as context (the sign is the
// meaning, for screen readers and print; colour repeats it).
export function DiffView({ diff, label }: { diff: string; label: string }) {
  if (!diff) return null;
  return (
    <figure className="mt-2">
      <figcaption className="sr-only">{label}</figcaption>
      <pre className=" max-h-80 overflow-auto rounded-lg bg-slate-50 p-2 font-mono text-xs leading-5 text-slate-800 dark:bg-slate-950 dark:text-slate-200">
        {diff.split("\n").map((line, i) => (
          <span
            key={i}
            className={
              line.startsWith("+")
                ? "block bg-emerald-50 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200"
                : line.startsWith("-")
                  ? "block bg-red-50 text-red-900 dark:bg-red-950/60 dark:text-red-200"
                  : "block"
            }
          >
            {line}
          </span>
        ))}
      </pre>
    </figure>
  );
}
