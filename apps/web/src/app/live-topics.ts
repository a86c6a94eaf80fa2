// Which queries hold each websocket topic's state: the keys come from the features' query factories.

import { auditQueries } from "../features/audit/queries";
import { planQueries } from "../features/plan/queries";
import type { TopicQueryKeys } from "../lib/live-sync";

export const liveTopicKeys: TopicQueryKeys = {
  plan: [planQueries.all()],
  audit: [auditQueries.all()],
};
