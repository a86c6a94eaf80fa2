// The frame around every signed-in page: product, plan and live status, theme, the operator, and the sections.
import type { SessionInfo } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useLayoutEffect, useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import { Logo } from "../components/logo";
import { useSignOut } from "../features/auth/queries";
import { planQueries } from "../features/plan/queries";
import { ANNOUNCER_ID, requestHeadingFocus } from "../lib/page-focus";
import { LiveIndicator } from "./live-indicator";
import { isActive, navItems } from "./nav";
import { ThemeToggle } from "./theme-toggle";

function PlanName() {
  const { data } = useQuery(planQueries.current());
  if (!data) return null;
  const invalid = data.source.status === "invalid";
  return (
    <Link
      href="/address-plan"
      className="hidden items-center gap-1.5 rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 sm:inline-flex dark:text-slate-300 dark:hover:bg-slate-800"
      title={invalid ? `${data.source.file} is invalid: the last good plan is shown` : data.source.file}
    >
      <span className="text-slate-500 dark:text-slate-400">Plan</span>
      <span className="font-medium text-slate-900 dark:text-white">{data.plan?.metadata.name ?? "none"}</span>
      {invalid && (
        <span className="rounded bg-red-100 px-1.5 text-xs font-semibold text-red-800 dark:bg-red-950 dark:text-red-200">
          file invalid
        </span>
      )}
    </Link>
  );
}

function SignOut({ user }: { user: string }) {
  const signOut = useSignOut();
  return (
    <div className="flex items-center gap-2 text-sm">
      <Link
        href="/account"
        title="Account and password"
        className="rounded-md px-1 text-slate-600 hover:underline dark:text-slate-400"
      >
        <span className="hidden md:inline">Signed in as </span>
        <span className="font-medium text-slate-900 dark:text-white">{user}</span>
      </Link>
      <button
        type="button"
        onClick={() => signOut.mutate()}
        disabled={signOut.isPending}
        className="rounded-lg border border-slate-300 px-2.5 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        Sign out
      </button>
    </div>
  );
}

function SectionLinks({
  location,
  vertical,
  onPick,
}: {
  location: string;
  vertical: boolean;
  onPick?: () => void;
}) {
  return (
    <ul className={vertical ? "grid gap-1 py-2" : "flex gap-1"}>
      {navItems.map((item) => {
        const active = isActive(item, location);
        const look = active
          ? "border-sky-600 text-sky-800 dark:border-sky-400 dark:text-sky-200"
          : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900 dark:text-slate-400 dark:hover:border-slate-600 dark:hover:text-white";
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onPick}
              aria-current={active ? "page" : undefined}
              className={`block px-3 py-2.5 text-sm font-medium whitespace-nowrap ${vertical ? "border-l-4" : "border-b-2"} ${look}`}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/** Tabs on a laptop; on a phone a menu button that lists every page, so none hides off-screen. */
function SectionNav({ location }: { location: string }) {
  const [open, setOpen] = useState(false);
  const current = navItems.find((item) => isActive(item, location));
  return (
    <nav aria-label="Sections" className="mx-auto max-w-[100rem] px-2 sm:px-4">
      <div className="hidden md:block">
        <SectionLinks location={location} vertical={false} />
      </div>
      <div className="md:hidden">
        <button
          type="button"
          aria-expanded={open}
          aria-controls="section-menu"
          onClick={() => setOpen(!open)}
          className="flex w-full items-center justify-between px-3 py-2.5 text-sm font-medium text-slate-800 dark:text-slate-100"
        >
          <span>
            <span className="text-slate-500 dark:text-slate-400">Page: </span>
            {current?.label ?? "—"}
          </span>
          <span aria-hidden="true">{open ? "▲" : "▼"}</span>
          <span className="sr-only">{open ? "Close the menu" : "Open the menu of all pages"}</span>
        </button>
        {open && (
          <div id="section-menu">
            <SectionLinks location={location} vertical onPick={() => setOpen(false)} />
          </div>
        )}
      </div>
    </nav>
  );
}

export function Shell({ session, children }: { session: SessionInfo; children: ReactNode }) {
  const [location] = useLocation();
  const first = useRef(true);
  // A layout effect runs before the new page's heading's (passive) effect in the same commit.
  useLayoutEffect(() => {
    if (first.current) first.current = false;
    else requestHeadingFocus();
  }, [location]);
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only rounded bg-white px-3 py-2 text-sm font-medium focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 dark:bg-slate-900"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex h-14 max-w-[100rem] items-center gap-3 px-4 sm:px-6">
          <Link
            href="/"
            className="flex items-center gap-2 rounded-md font-semibold tracking-tight text-slate-900 dark:text-white"
          >
            <Logo className="size-7" />
            k3s HA Console
          </Link>
          <PlanName />
          <div className="ml-auto flex items-center gap-2 sm:gap-3">
            <LiveIndicator />
            <ThemeToggle />
            <SignOut user={session.user} />
          </div>
        </div>
        <SectionNav location={location} />
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-[100rem] px-4 py-6 sm:px-6">
        {children}
      </main>
      <div id={ANNOUNCER_ID} aria-live="polite" aria-atomic="true" className="sr-only" />
    </div>
  );
}
