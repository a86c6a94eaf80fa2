// Renders its children only for a signed-in operator; anyone else goes to the login page and comes back after.
import type { SessionInfo } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Redirect, useLocation } from "wouter";
import { LoadError } from "../../../components/ui";
import { sessionQueries } from "../queries";

export function RequireSession({ children }: { children: (session: SessionInfo) => ReactNode }) {
  const { data, error, isPending } = useQuery(sessionQueries.current());
  const [location] = useLocation();
  if (isPending) {
    return (
      <p role="status" className="p-10 text-center text-sm text-slate-600 dark:text-slate-400">
        Checking your session…
      </p>
    );
  }
  if (error) {
    return (
      <div className="mx-auto max-w-lg p-10">
        <LoadError what="your session" error={error} />
      </div>
    );
  }
  if (!data) {
    const next = location === "/" ? "" : `?next=${encodeURIComponent(location + window.location.search)}`;
    return <Redirect to={`/login${next}`} replace />;
  }
  return children(data);
}
