// Failover runs over HTTP: start (201 {id}; a bad body names the field, a failed preflight is 409 with the reasons),
// list, detail, the samples as CSV, the whole run as JSON, abort and delete (both audited).
import { Readable } from "node:stream";
import { runRequestSchema } from "@k3s-ha/shared";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { AppError, parseBody } from "../errors.js";
import type { WireSample } from "../services/failover/probe/scheduler.js";

const RUN_ID = /^[a-z0-9-]{1,64}$/;

function runId(params: unknown): string {
  const id = (params as { id?: string }).id ?? "";
  if (!RUN_ID.test(id)) throw new AppError("NOT_FOUND", "No such failover run");
  return id;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(v: string | number | undefined): string {
  if (v === undefined) return "";
  const text = String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = [
  "seq",
  "endpoint",
  "mode",
  "address",
  "startedAt",
  "durationMs",
  "outcome",
  "error",
];

function csvLine(s: WireSample, startedAtEpochMs: number): string {
  const at = new Date(startedAtEpochMs + s.startedAtMs).toISOString();
  return `${[s.seq, s.endpoint, s.mode, s.address, at, s.durationMs, s.outcome, s.error].map(csvField).join(",")}\r\n`;
}

const attachment = (reply: FastifyReply, name: string, type: string) =>
  reply.header("content-type", type).header("content-disposition", `attachment; filename="${name}"`);

export const failoverRoutes: FastifyPluginAsync = async (app) => {
  app.post("/api/failover/runs", async (request, reply) => {
    const body = parseBody(runRequestSchema, request.body, "The run request is not valid");
    const { id } = await app.failover.start(body, request.principal?.user ?? "unknown");
    return reply.code(201).header("location", `/api/failover/runs/${id}`).send({ id });
  });

  app.get("/api/failover/scenarios", async () => app.failover.catalog());

  app.get("/api/failover/runs", async () => ({ runs: app.failover.list() }));

  app.get("/api/failover/failure-table", async () => app.failover.failureTable());

  app.get("/api/failover/runs/:id", async (request) => app.failover.detail(runId(request.params)));

  app.get("/api/failover/runs/:id/samples.csv", async (request, reply) => {
    const id = runId(request.params);
    const run = app.failover.summary(id);
    const origin = Date.parse(run.startedAt);
    const rows = app.failover.samples(id);
    function* lines() {
      yield `${CSV_COLUMNS.join(",")}\r\n`;
      for (const s of rows) yield csvLine(s, origin);
    }
    attachment(reply, `failover-${id}.csv`, "text/csv; charset=utf-8");
    return reply.send(Readable.from(lines()));
  });

  app.get("/api/failover/runs/:id/export.json", async (request, reply) => {
    const id = runId(request.params);
    const run = app.failover.detail(id);
    attachment(reply, `failover-${id}.json`, "application/json; charset=utf-8");
    return reply.send({ format: "k3s-ha-failover-run/v1", run, samples: [...app.failover.samples(id)] });
  });

  app.post("/api/failover/runs/:id/abort", async (request, reply) => {
    const id = runId(request.params);
    app.failover.abort(id, request.principal?.user ?? "unknown");
    return reply.code(202).send({ id, state: "aborting" });
  });

  app.delete("/api/failover/runs/:id", async (request, reply) => {
    const id = runId(request.params);
    app.failover.remove(id, request.principal?.user ?? "unknown");
    return reply.code(204).send();
  });
};
