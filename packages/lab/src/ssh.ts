// Running a command on a lab machine over SSH (ssh2) with the host key pinned, as the console will.
import { readFileSync } from "node:fs";
import { Client } from "ssh2";

export interface SshTarget {
  host: string;
  port?: number;
  user?: string;
  privateKeyFile: string;
  /** The pinned public host key line, "ssh-ed25519 AAAA…". */
  hostKey: string;
}

export interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class HostKeyMismatchError extends Error {
  readonly code = "HOST_KEY_MISMATCH";
}

/** Runs one command; rejects on connection errors, a host key other than the pinned one, or the timeout. */
export function sshExec(
  target: SshTarget,
  command: string,
  { timeoutMs = 15_000, input = "" } = {},
): Promise<SshResult> {
  const pinned = Buffer.from(target.hostKey.trim().split(/\s+/)[1] ?? "", "base64");
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKeyRejected = false;
    const timer = setTimeout(() => {
      client.end();
      reject(new Error(`ssh ${target.host}: timed out after ${timeoutMs} ms running ${command}`));
    }, timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      client.end();
      reject(
        hostKeyRejected
          ? new HostKeyMismatchError(`ssh ${target.host}: host key does not match the pinned key`)
          : err,
      );
    };
    client.on("error", fail);
    client.on("ready", () => {
      client.exec(command, (err, stream) => {
        if (err) return fail(err);
        let stdout = "";
        let stderr = "";
        stream.on("data", (d: Buffer) => {
          stdout += d.toString("utf8");
        });
        stream.stderr.on("data", (d: Buffer) => {
          stderr += d.toString("utf8");
        });
        stream.on("close", (code: number | null) => {
          clearTimeout(timer);
          client.end();
          resolve({ code: code ?? 255, stdout, stderr });
        });
        stream.end(input);
      });
    });
    client.connect({
      host: target.host,
      port: target.port ?? 22,
      username: target.user ?? "root",
      privateKey: readFileSync(target.privateKeyFile),
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        const ok = key.equals(pinned);
        if (!ok) hostKeyRejected = true;
        return ok;
      },
    });
  });
}
