// The console's own TLS: certificate and key read from PEM files and reloaded when either changes.
import { type FSWatcher, readFileSync, watch } from "node:fs";
import type { Server } from "node:https";
import { basename, dirname } from "node:path";
import type { FastifyBaseLogger } from "fastify";

export interface TlsFiles {
  cert: string;
  key: string;
}

export function readTls(files: TlsFiles): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(files.cert), key: readFileSync(files.key) };
}

const RELOAD_DEBOUNCE_MS = 200;

/**
 * Reloads the certificate into the running server when a file changes (certbot, cert-manager and editors replace
 * files by rename, so the folders are watched). A pair that does not load keeps the old one in force.
 */
export function watchTls(server: Server, files: TlsFiles, log: FastifyBaseLogger): () => void {
  let timer: NodeJS.Timeout | undefined;
  const reload = () => {
    try {
      server.setSecureContext(readTls(files));
      log.info({ cert: files.cert }, "TLS certificate reloaded");
    } catch (err) {
      log.error(
        { cert: files.cert, reason: (err as Error).message },
        "TLS certificate not reloaded; the old one stays",
      );
    }
  };
  const names = new Set([basename(files.cert), basename(files.key)]);
  const watchers: FSWatcher[] = [...new Set([dirname(files.cert), dirname(files.key)])].map((dir) =>
    watch(dir, (_event, changed) => {
      if (changed !== null && !names.has(changed)) return;
      clearTimeout(timer);
      timer = setTimeout(reload, RELOAD_DEBOUNCE_MS);
    }),
  );
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
