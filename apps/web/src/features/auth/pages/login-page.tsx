// Route /login: username and password; says plainly when they are wrong or when sign-ins are rate limited.
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Redirect, useLocation, useSearch } from "wouter";
import { Logo } from "../../../components/logo";
import { FormAlert, formInputClass, primaryButtonClass } from "../../../components/ui";
import { isApiError } from "../../../lib/api";
import { sessionQueries, useSignIn } from "../queries";

/** Only paths of this app, never another origin (`//host`) or the login page itself. */
export function safeNext(next: string | null): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/login")) return "/";
  return next;
}

function signInError(error: unknown): string {
  if (isApiError(error, "BAD_CREDENTIALS")) return "Wrong username or password.";
  if (isApiError(error, "RATE_LIMITED")) {
    return `Too many sign-in attempts. ${error.message || "Wait a moment before trying again."}`;
  }
  if (isApiError(error, "NETWORK_ERROR")) return "The console server cannot be reached. Is it running?";
  if (isApiError(error)) return `Sign-in failed: ${error.message}`;
  return "Sign-in failed.";
}

export function LoginPage() {
  const next = safeNext(new URLSearchParams(useSearch()).get("next"));
  const [, navigate] = useLocation();
  const session = useQuery(sessionQueries.current());
  const signIn = useSignIn();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");

  useEffect(() => {
    document.title = "Sign in — k3s HA Console";
  }, []);
  if (session.data) return <Redirect to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ username, password }, { onSuccess: () => navigate(next, { replace: true }) });
  };

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <Logo className="mx-auto size-12" />
          <h1 className="mt-3 text-xl font-semibold tracking-tight">k3s HA Console</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            Sign in to plan and test the control plane.
          </p>
        </div>
        <form
          onSubmit={submit}
          className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
        >
          {signIn.isError && <FormAlert>{signInError(signIn.error)}</FormAlert>}
          <div>
            <label htmlFor="username" className="text-sm font-medium">
              Username
            </label>
            <input
              id="username"
              name="username"
              autoComplete="username"
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              className={formInputClass}
            />
          </div>
          <div>
            <label htmlFor="password" className="text-sm font-medium">
              Password
            </label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              className={formInputClass}
            />
          </div>
          <button type="submit" disabled={signIn.isPending} className={`w-full ${primaryButtonClass}`}>
            {signIn.isPending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
