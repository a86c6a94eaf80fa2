// Routes: the login page, and every other page behind a session inside the shell with the live connection.

import type { SessionInfo } from "@k3s-ha/shared";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { Route, Switch, useLocation } from "wouter";
import { PageErrorBoundary } from "../components/page-error-boundary";
import { Loading, PageHeader } from "../components/ui";
import { AuditPage } from "../features/audit/pages/audit-page";
import { RequireSession } from "../features/auth/components/require-session";
import { AccountPage } from "../features/auth/pages/account-page";
import { LoginPage } from "../features/auth/pages/login-page";
import { forgetSession } from "../features/auth/queries";
import { BgpPage } from "../features/bgp/pages/bgp-page";
import { HostsPage } from "../features/hosts/pages/hosts-page";
import { OverviewPage } from "../features/overview/pages/overview-page";
import { AddressPlanPage } from "../features/plan/pages/address-plan-page";
import { planQueries } from "../features/plan/queries";
import { SetupPage } from "../features/setup/pages/setup-page";
import { LiveSync, useLiveTopics } from "../lib/live";
import { liveTopicKeys } from "./live-topics";
import { Shell } from "./shell";

// Pages with charts load on demand so recharts stays out of the initial bundle.
const FailoverPage = lazy(() => import("../features/failover/pages/failover-page"));
const RunPage = lazy(() => import("../features/failover/pages/run-page"));
const ComparePage = lazy(() => import("../features/failover/pages/compare-page"));
// The Cluster page's YAML views bring the yaml library: loaded on demand too.
const ClusterPage = lazy(() => import("../features/cluster/pages/cluster-page"));

function NotFound() {
  return (
    <PageHeader title="Page not found">There is no page at this address. Pick a section above.</PageHeader>
  );
}

/** Each plan node's source is its own topic (`node:<name>`): subscribed once the plan names the nodes. */
function PlanNodeTopics() {
  const plan = useQuery(planQueries.current());
  useLiveTopics(plan.data?.plan?.nodes.map((n) => `node:${n.name}` as const) ?? []);
  return null;
}

function SignedInRoutes({ session }: { session: SessionInfo }) {
  const [location] = useLocation();
  return (
    <PageErrorBoundary resetKey={location}>
      <Suspense fallback={<Loading what="the page" />}>
        <Switch>
          <Route path="/" component={OverviewPage} />
          <Route path="/address-plan" component={AddressPlanPage} />
          <Route path="/bgp" component={BgpPage} />
          <Route path="/cluster" component={ClusterPage} />
          <Route path="/setup" component={SetupPage} />
          <Route path="/failover/runs/:id" component={RunPage} />
          <Route path="/failover/compare" component={ComparePage} />
          <Route path="/failover" component={FailoverPage} />
          <Route path="/hosts" component={HostsPage} />
          <Route path="/audit" component={AuditPage} />
          <Route path="/account">
            <AccountPage session={session} />
          </Route>
          <Route component={NotFound} />
        </Switch>
      </Suspense>
    </PageErrorBoundary>
  );
}

export function App() {
  const queryClient = useQueryClient();
  return (
    <Switch>
      <Route path="/login" component={LoginPage} />
      <Route>
        <RequireSession>
          {(session) => (
            <LiveSync keys={liveTopicKeys} onSessionEnded={() => forgetSession(queryClient)}>
              <PlanNodeTopics />
              <Shell session={session}>
                <SignedInRoutes session={session} />
              </Shell>
            </LiveSync>
          )}
        </RequireSession>
      </Route>
    </Switch>
  );
}
