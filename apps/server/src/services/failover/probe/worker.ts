// The probe worker thread: runs one run's ProbeScheduler off the server's event loop, so HTTP, websocket and
// rendering work cannot delay a probe. Messages: start {spec} → samples {samples}… → done {stats}; stop.
import { parentPort } from "node:worker_threads";
import { monotonicMs } from "./clock.js";
import { type ProbeRunSpec, ProbeScheduler } from "./scheduler.js";

if (!parentPort) throw new Error("the probe worker runs as a worker thread");
const port = parentPort;
let scheduler: ProbeScheduler | undefined;

// A probe's stray error must not end the run's measurement: it is reported (the run records it) and probing goes on.
process.on("uncaughtException", (err) => {
  port.postMessage({ type: "probe-error", message: err instanceof Error ? err.message : String(err) });
});

port.on("message", (m: { type: "start"; spec: ProbeRunSpec } | { type: "stop" }) => {
  if (m.type === "start" && !scheduler) {
    scheduler = new ProbeScheduler(
      m.spec,
      (samples) => port.postMessage({ type: "samples", samples }),
      monotonicMs,
    );
    void scheduler.done.then((stats) => port.postMessage({ type: "done", stats }));
    scheduler.start();
  } else if (m.type === "stop") void scheduler?.stop();
});
