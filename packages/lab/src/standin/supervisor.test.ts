import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { handleSupervisor } from "./supervisor.js";

function call(method: string, url: string) {
  const sent: { status?: number; headers?: Record<string, string>; body?: unknown } = {};
  const res = {
    writeHead: (status: number, headers: Record<string, string>) => Object.assign(sent, { status, headers }),
    end: (body?: unknown) => Object.assign(sent, { body }),
  } as unknown as ServerResponse;
  const handled = handleSupervisor({ method, url } as IncomingMessage, res, Buffer.from("CA PEM"));
  return { handled, ...sent };
}

describe("k3s supervisor paths", () => {
  it("answers /ping with pong and /cacerts with the CA, without credentials", () => {
    expect(call("GET", "/ping")).toMatchObject({ handled: true, status: 200, body: "pong" });
    expect(call("GET", "/cacerts?x=1")).toMatchObject({
      handled: true,
      status: 200,
      body: Buffer.from("CA PEM"),
    });
  });

  it("leaves everything else, and writes to those paths, to the apiserver", () => {
    for (const [method, url] of [
      ["GET", "/readyz"],
      ["GET", "/pingx"],
      ["POST", "/ping"],
      ["GET", "/api/v1/namespaces"],
    ] as const) {
      expect(call(method, url).handled).toBe(false);
    }
  });
});
