// The main thread's side of probing: starts a run's probes in a worker thread, hands batches of samples on as they
// arrive, and stops it. From sources the worker needs tsx; the bundle ships it as dist/probe-worker.js.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ProbeRunSpec, ProbeStats, WireSample } from "./scheduler.js";

export interface ProbeRun {
  /** Resolves when the run's duration is over (or it was stopped) and every sample was handed on. */
  done: Promise<ProbeStats>;
  stop(): Promise<ProbeStats>;
}

function workerEntry(): { url: URL; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    const tsx = pathToFileURL(createRequire(here).resolve("tsx")).href;
    return { url: new URL("./worker.ts", here), execArgv: ["--import", tsx] };
  }
  return { url: new URL("./probe-worker.js", here), execArgv: [] };
}

type WorkerMessage =
  | { type: "samples"; samples: WireSample[] }
  | { type: "done"; stats: ProbeStats }
  | { type: "probe-error"; message: string };

export function startProbes(
  spec: ProbeRunSpec,
  onSamples: (samples: WireSample[]) => void,
  onProbeError: (message: string) => void = () => {},
): ProbeRun {
  const { url, execArgv } = workerEntry();
  const worker = new Worker(url, { execArgv, name: "k3s-ha-probes" });
  const done = new Promise<ProbeStats>((resolve, reject) => {
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "samples") onSamples(m.samples);
      else if (m.type === "probe-error") onProbeError(m.message);
      else {
        resolve(m.stats);
        void worker.terminate();
      }
    });
    worker.once("error", reject);
    worker.once("exit", (code) =>
      reject(new Error(`the probe worker exited (${code}) before the run ended`)),
    );
  });
  worker.postMessage({ type: "start", spec });
  return {
    done,
    stop() {
      worker.postMessage({ type: "stop" });
      return done;
    },
  };
}
