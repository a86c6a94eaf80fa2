// The console's mark, drawn inline (the same drawing as public/favicon.svg), so the page fetches the icon only once.
export function Logo({ className = "" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#0f172a" />
      <g fill="none" stroke="#38bdf8" strokeWidth="2.5" strokeLinecap="round">
        <circle cx="16" cy="9" r="3.5" />
        <circle cx="8.5" cy="22" r="3.5" />
        <circle cx="23.5" cy="22" r="3.5" />
        <path d="M14 12.2 10.4 18.8M18 12.2l3.6 6.6M12 22h8" />
      </g>
    </svg>
  );
}
