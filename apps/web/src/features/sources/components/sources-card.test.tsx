import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { sourceQueries } from "../queries";
import { SourcesCard, sourceLabel } from "./sources-card";

afterEach(cleanup);

function withSources(sources: unknown[]) {
  const client = new QueryClient({
    defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY, retry: false } },
  });
  client.setQueryData(sourceQueries.list().queryKey, { sources } as never);
  return render(
    <QueryClientProvider client={client}>
      <SourcesCard />
    </QueryClientProvider>,
  );
}

describe("SourcesCard", () => {
  it("lists each source with its status, age and — when it fails — the error an operator can act on", () => {
    const now = Date.now();
    withSources([
      {
        id: "node:node01",
        status: "host-key-changed",
        lastError: {
          code: "HOST_KEY_CHANGED",
          message: "node01 offered SHA256:abc",
          at: new Date(now).toISOString(),
        },
      },
      { id: "router", status: "ok", lastRefresh: new Date(now - 2_000).toISOString(), intervalMs: 2_000 },
    ]);
    const items = within(screen.getByRole("list")).getAllByRole("listitem");
    expect(items.map((li) => li.textContent)).toEqual([
      "Node node01host key changedNot read yetHOST_KEY_CHANGED: node01 offered SHA256:abc",
      "RouterliveLast read just now, every 2 s",
    ]);
  });

  it("names sources in the operator's words", () => {
    expect(["router", "kubernetes", "dns", "endpoints", "node:node03", "other"].map(sourceLabel)).toEqual([
      "Router",
      "Kubernetes API",
      "DNS",
      "API endpoints",
      "Node node03",
      "other",
    ]);
  });
});
