import { sessionInfoSchema } from "@k3s-ha/shared";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, apiFetch, setUnauthorizedHandler } from "./api";

function answer(status: number, body: unknown) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(body === undefined ? "" : JSON.stringify(body), { status })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(() => {});
});

describe("apiFetch", () => {
  it("returns an answer that matches its schema", async () => {
    answer(200, { user: "admin", csrfToken: "t" });
    await expect(apiFetch("/api/auth/session", { schema: sessionInfoSchema })).resolves.toEqual({
      user: "admin",
      csrfToken: "t",
    });
  });

  it("refuses an answer that does not match, naming the field, instead of casting it", async () => {
    answer(200, { user: 7 });
    const error = await apiFetch("/api/auth/session", { schema: sessionInfoSchema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("BAD_RESPONSE");
    expect((error as ApiError).message).toContain("at user");
  });

  it("turns an error body into ApiError with the server's code, and a 401 signs the page out", async () => {
    const signedOut = vi.fn();
    setUnauthorizedHandler(signedOut);
    answer(401, { code: "UNAUTHENTICATED", message: "Sign in first" });
    const error = (await apiFetch("/api/plan", { schema: sessionInfoSchema }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect([error.status, error.code, error.message]).toEqual([401, "UNAUTHENTICATED", "Sign in first"]);
    expect(signedOut).toHaveBeenCalledTimes(1);
    answer(502, { nonsense: true });
    expect(((await apiFetch("/api/plan").catch((e: unknown) => e)) as ApiError).code).toBe("HTTP_502");
  });
});
