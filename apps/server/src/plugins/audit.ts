// Records every operator action in the audit log and tells subscribers of the "audit" topic.
import fp from "fastify-plugin";
import type { AuditRecord } from "./store.js";

declare module "fastify" {
  interface FastifyInstance {
    audit: (record: AuditRecord) => void;
  }
}

export default fp(
  async (app) => {
    app.decorate("audit", (record: AuditRecord) => {
      app.store.audit(record);
      app.hub.publish("audit");
    });
  },
  { name: "audit", dependencies: ["store", "hub"] },
);
