// The probe worker thread: runs one run's ProbeScheduler off the server's event loop, so HTTP, websocket and
// rendering work cannot delay a probe. Messages: start {spec} → samples {samples}… → done {stats}; stop.
import { execFileSync } from "node:child_process";
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
 * The real-time round-robin priority asked for the probe thread: the lowest, enough to run before every ordinary
 * thread of the host. A nice value weighs only within the thread's own session (the kernel's autogroups), so on a
 * busy host the lab's or a node agent's processes in other sessions still delay a probe's start by tens of ms; a
 * SCHED_RR thread is woken ahead of them. It is bounded: the thread sleeps between probes (a fifth of a core at
 * 100 ms × 6 × 2), the kernel caps real-time threads at 95 % of each second, and the thread ends with the run.
 */
const PROBE_RT_PRIORITY = 1;

function errnoCode(err: unknown): string {
  // A libuv SystemError: `info.code` is the errno's name (EACCES), `code` is ERR_SYSTEM_ERROR.
  const e = err as NodeJS.ErrnoException & { info?: { code?: string } };
  return e.info?.code ?? e.code ?? "error";
}

/**
 * Lowers this thread's nice value (only this thread's: Linux's nice value is per thread). It needs root,
 * CAP_SYS_NICE or an RLIMIT_NICE of at least 30 (20 - nice; the compose file sets it).
 */
function raiseNice(tid: number): { nice: number | null; reason?: string } {
  try {
    setPriority(tid, PROBE_NICE);
    return { nice: PROBE_NICE };
  } catch (err) {
    return {
      nice: null,
      reason: `nice ${PROBE_NICE}: ${errnoCode(err)} (needs CAP_SYS_NICE or RLIMIT_NICE 30)`,
    };
  }
}

/**
 * Puts this thread under SCHED_RR. Node has no call for it, so util-linux's chrt does it, with a fixed argument list
 * and the thread's own id (no shell). It needs root, CAP_SYS_NICE or an RLIMIT_RTPRIO of at least 1 (the compose file
 * sets it).
 */
function raiseRealtime(tid: number): { rtPriority: number | null; reason?: string } {
  try {
    execFileSync("chrt", ["--rr", "--pid", String(PROBE_RT_PRIORITY), String(tid)], {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 2_000,
    });
    return { rtPriority: PROBE_RT_PRIORITY };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    const said = e.stderr?.toString().trim().split("\n").pop();
    const why = e.code === "ENOENT" ? "chrt (util-linux) is not installed" : said || errnoCode(err);
    return { rtPriority: null, reason: `SCHED_RR: ${why} (needs CAP_SYS_NICE or RLIMIT_RTPRIO 1)` };
  }
}

/**
 * Puts this thread (/proc/thread-self names it) ahead of ordinary work, so that a busy host delays a probe's start
 * less: real-time round-robin where allowed, and a lower nice value in any case. Without the rights the thread keeps
 * the process's priority and the run says why.
 */
function raisePriority(): ProbeThreadPriority {
  const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (!Number.isInteger(tid) || tid <= 0)
    return { nice: null, rtPriority: null, reason: "no thread id in /proc/thread-self" };
  const nice = raiseNice(tid);
  const rt = raiseRealtime(tid);
  const reasons = [rt.reason, nice.reason].filter((r): r is string => r !== undefined);
  return {
    nice: nice.nice,
    rtPriority: rt.rtPriority,
    ...(reasons.length > 0 ? { reason: reasons.join("; ") } : {}),
  };
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
