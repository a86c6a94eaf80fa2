// Which queries hold each websocket topic's state: the keys come from the features' query factories.

import { auditQueries } from "../features/audit/queries";
import { bgpQueries } from "../features/bgp/queries";
import { clusterQueries } from "../features/cluster/queries";
import { dnsQueries } from "../features/dns/queries";
import { endpointQueries } from "../features/endpoints/queries";
import { failoverQueries } from "../features/failover/queries";
import { hostQueries } from "../features/hosts/queries";
import { planQueries } from "../features/plan/queries";
import { routeAuditQueries } from "../features/route-audit/queries";
import { setupQueries } from "../features/setup/queries";
import { sourceQueries } from "../features/sources/queries";
import type { TopicQueryKeys } from "../lib/live-sync";

export const liveTopicKeys: TopicQueryKeys = {
  plan: [planQueries.all()],
  audit: [auditQueries.all()],
  // A source's status change may be a host key refusal (the Hosts page shows the key offered) or make the route
  // audit's checks unknown.
  sources: [sourceQueries.all(), hostQueries.all(), routeAuditQueries.all()],
  // A snapshot also moves its source's lastRefresh.
  router: [bgpQueries.all(), routeAuditQueries.all(), sourceQueries.all()],
  kubernetes: [clusterQueries.all(), routeAuditQueries.all(), sourceQueries.all()],
  dns: [dnsQueries.all(), sourceQueries.all()],
  endpoints: [endpointQueries.all(), sourceQueries.all()],
  // A run started, changed state or ended (its samples stream as data, not through this topic).
  failover: [failoverQueries.all()],
  // A setup step was applied, verified or undone, or an apply made progress.
  setup: [setupQueries.all()],
  // Each node's Calico sessions are listed with the router's peers.
  node: [bgpQueries.all(), sourceQueries.all()],
};
