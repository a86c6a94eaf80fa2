// How the web app is delivered: precompressed, hashed assets cached for good, index.html revalidated, small.
import { expect, type Page, test } from "@playwright/test";
import { signIn } from "./helpers";

interface WireRecord {
  url: string;
  type: string;
  headers: Record<string, string>;
  fromCache: boolean;
  /** Bytes on the wire, headers included (Chromium's encodedDataLength); 0 for a cache hit. */
  bytes: number;
}

/** Records what crosses the network, from Chromium's own accounting (DevTools protocol), cache hits marked. */
async function recordWire(page: Page): Promise<Map<string, WireRecord>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const records = new Map<string, WireRecord>();
  cdp.on("Network.responseReceived", (e) => {
    records.set(e.requestId, {
      url: e.response.url,
      type: e.type,
      headers: Object.fromEntries(
        Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
      ),
      fromCache: Boolean(
        e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker,
      ),
      bytes: 0,
    });
  });
  cdp.on("Network.requestServedFromCache", (e) => {
    const r = records.get(e.requestId);
    if (r) r.fromCache = true;
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = records.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  return records;
}

test("login and the address plan arrive compressed, cached and under 200 KB", async ({ page }) => {
  const wire = await recordWire(page);
  await signIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "Address plan", exact: true }).click();
  await expect(page.getByTestId("allocation-map")).toBeVisible();
  await page.waitForLoadState("networkidle");
  const records = [...wire.values()];

  const scripts = records.filter((r) => r.type === "Script");
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) {
    expect(script.headers["content-encoding"], script.url).toBe("br");
    expect(script.headers["cache-control"], script.url).toBe("public, max-age=31536000, immutable");
  }
  const css = records.find((r) => r.type === "Stylesheet");
  expect(css?.headers["content-encoding"]).toBe("br");
  for (const doc of records.filter((r) => r.type === "Document"))
    expect(doc.headers["cache-control"]).toBe("no-cache");
  // Transfers that completed (Chromium sometimes starts a second icon request and cancels it unanswered).
  const favicons = records.filter((r) => r.url.endsWith("/favicon.svg") && !r.fromCache && r.bytes > 0);
  expect(favicons.length).toBeLessThanOrEqual(1);
  const total = records.reduce((a, r) => a + r.bytes, 0);
  expect(total).toBeGreaterThan(50 * 1024);
  expect(total).toBeLessThan(200 * 1024);

  // A deep link is index.html again, revalidated on every load.
  const deep = await page.request.get("/address-plan", { headers: { "accept-encoding": "br" } });
  expect(deep.headers()["cache-control"]).toBe("no-cache");
  expect(await deep.text()).toContain('<div id="root">');
});

test("a chunk that no longer exists after a redeploy offers a reload instead of a blank page", async ({
  page,
}) => {
  await signIn(page);
  await page.route(/\/assets\/failover-page-.*\.js$/, (route) =>
    route.fulfill({ status: 404, body: "gone" }),
  );
  await page.getByRole("navigation").getByRole("link", { name: "Failover", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("The console was updated");
  await expect(page.getByRole("button", { name: "Reload the console" })).toBeVisible();
  await page.unroute(/\/assets\/failover-page-.*\.js$/);
  await page.getByRole("button", { name: "Reload the console" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
});
