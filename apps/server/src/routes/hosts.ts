// GET /api/hosts: each SSH host's pin (plan, known_hosts, approved, none) and the key it last offered;
// POST /api/hosts/:name/approve-key {fingerprint}: approve (or re-approve) exactly the key the admin compared.
import { approveKeyBodySchema, type HostsResponse } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";
import { AppError, parseBody } from "../errors.js";
import { SshError } from "../plugins/ssh.js";
import { fingerprint, keyBlob } from "../plugins/ssh-connection.js";

export const hostsRoutes: FastifyPluginAsync = async (app) => {
  app.get("/api/hosts", async (): Promise<HostsResponse> => {
    const hosts = app.ssh.names().map((name) => {
      const h = app.ssh.host(name);
      const offered = app.ssh.offeredKey(name);
      const approval = app.store.hostKeyApproval(name);
      if (!h || h instanceof SshError)
        return {
          name,
          address: "",
          port: 22,
          user: "",
          pin: "none" as const,
          pinnedFingerprints: [],
          ...(h ? { error: { code: h.code, message: h.message } } : {}),
        };
      const pins = [h.config.hostKey ?? []].flat();
      return {
        name,
        address: h.config.host,
        port: h.config.port,
        user: h.config.user,
        pin: h.pin,
        pinnedFingerprints: pins.map((k) => fingerprint(keyBlob(k))),
        ...(approval && h.pin === "approved"
          ? { approvedBy: approval.approvedBy, approvedAt: approval.approvedAt }
          : {}),
        ...(offered ? { offered: { fingerprint: offered.fingerprint } } : {}),
      };
    });
    return { hosts };
  });

  app.post<{ Params: { name: string } }>("/api/hosts/:name/approve-key", async (request) => {
    const { fingerprint: seen } = parseBody(
      approveKeyBodySchema,
      request.body,
      'Send {"fingerprint": "SHA256:…"}',
    );
    const name = request.params.name;
    const actor = request.principal?.user ?? "unknown";
    const h = app.ssh.host(name);
    if (!h) throw new AppError("NOT_FOUND", `no host "${name}" in the plan`);
    if (!(h instanceof SshError) && (h.pin === "plan" || h.pin === "known-hosts"))
      throw new AppError(
        "HOST_KEY_PINNED",
        `the plan pins ${name}'s key (${h.pin === "plan" ? "ssh.hostKey" : "ssh.knownHostsFile"}): change the plan, not an approval`,
      );
    const offered = app.ssh.offeredKey(name);
    if (!offered)
      throw new AppError(
        "HOST_KEY_NOT_OFFERED",
        `${name} has not offered a key the console refused: nothing to approve`,
      );
    if (offered.fingerprint !== seen) {
      app.audit({
        actor,
        action: "host.approve-key",
        target: name,
        outcome: "denied",
        detail: `approved ${seen}, but the host now offers ${offered.fingerprint}`,
      });
      throw new AppError(
        "FINGERPRINT_CHANGED",
        `${name} now offers ${offered.fingerprint}, not the ${seen} you approved: compare again`,
      );
    }
    const previous = app.store.hostKeyApproval(name);
    const approval = app.store.approveHostKey(name, offered.key, offered.fingerprint, actor);
    app.audit({
      actor,
      action: previous ? "host.reapprove-key" : "host.approve-key",
      target: name,
      outcome: "ok",
      detail: previous ? `${previous.fingerprint} → ${offered.fingerprint}` : offered.fingerprint,
    });
    app.reloadSshHosts();
    // Read the host now with its new pin, not at its next interval.
    void (name === "router" ? app.collectors.router : app.collectors.nodes.get(name))?.pollNow();
    return {
      name,
      fingerprint: approval.fingerprint,
      approvedBy: approval.approvedBy,
      approvedAt: approval.approvedAt,
    };
  });
};
