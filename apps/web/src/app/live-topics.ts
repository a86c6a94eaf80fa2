// Which queries hold each websocket topic's state: the keys come from the features' query factories.

import { auditQueries } from "../features/audit/queries";
import { bgpQueries } from "../features/bgp/queries";
import { hostQueries } from "../features/hosts/queries";
import { planQueries } from "../features/plan/queries";
import { sourceQueries } from "../features/sources/queries";
import type { TopicQueryKeys } from "../lib/live-sync";

export const liveTopicKeys: TopicQueryKeys = {
  plan: [planQueries.all()],
  audit: [auditQueries.all()],
  // A source's status change may be a host key refusal: the Hosts page shows the key offered.
  sources: [sourceQueries.all(), hostQueries.all()],
  // Until the cluster, DNS and endpoint pages bring their own queries, a source's new snapshot refreshes the
  // source list (its lastRefresh moved).
  router: [bgpQueries.all(), sourceQueries.all()],
  kubernetes: [sourceQueries.all()],
  dns: [sourceQueries.all()],
  endpoints: [sourceQueries.all()],
  node: [sourceQueries.all()],
};
