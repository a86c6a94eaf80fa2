// The probe worker thread: runs one run's ProbeScheduler off the server's event loop, so HTTP, websocket and
// rendering work cannot delay a probe. Messages: start {spec} → samples {samples}… → done {stats}; stop.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { monotonicMs } from "./clock.js";
import { type ProbeRunSpec, ProbeScheduler, type ProbeThreadPriority } from "./scheduler.js";

if (!parentPort) throw new Error("the probe worker runs as a worker thread");
const port = parentPort;
let scheduler: ProbeScheduler | undefined;

/** The nice value asked for the probe thread: ahead of the server's other threads and the host's batch work. */
const PROBE_NICE = -10;

/**
 * Puts this thread (only: Linux's nice value is per thread, and /proc/thread-self names it) ahead of ordinary work,
 * so that a busy host delays a probe's start less. It needs root, CAP_SYS_NICE or an RLIMIT_NICE of at least 30
 * (20 - nice; the compose file sets it); without them the thread keeps the process's priority and the run says so.
 */
function raisePriority(): ProbeThreadPriority {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0)
      return { nice: null, reason: "no thread id in /proc/thread-self" };
    setPriority(tid, PROBE_NICE);
    return { nice: PROBE_NICE };
  } catch (err) {
    // A libuv SystemError: `info.code` is the errno's name (EACCES), `code` is ERR_SYSTEM_ERROR.
    const e = err as NodeJS.ErrnoException & { info?: { code?: string } };
    const code = e.info?.code ?? e.code ?? "error";
    return {
      nice: null,
      reason: `${code}: the probe thread keeps the process's priority (raising it needs CAP_SYS_NICE or RLIMIT_NICE 30)`,
    };
  }
}
const priority = raisePriority();

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
      priority,
    );
    void scheduler.done.then((stats) => port.postMessage({ type: "done", stats }));
    scheduler.start();
  } else if (m.type === "stop") void scheduler?.stop();
});
