// Live state on a lab of real daemons: the Overview and the BGP page follow a node's BGP going down and coming back
// without a reload; the Cluster page shows the nodes and the endpoint matrix. Prints fault → DOM times.
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";
import { labFault } from "./lab";

const noReload = () => (window as unknown as { __noReload?: boolean }).__noReload === true;

test("the Overview and the BGP page follow node02's BGP down and back up, live", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const sessions = page.getByRole("list", { name: "Router sessions" });
  await expect(sessions.getByText("node02 up")).toBeVisible({ timeout: 30_000 });
  await expect(
    page.getByRole("list", { name: "Ways in to the API" }).getByText("VIP", { exact: true }),
  ).toBeVisible({
    timeout: 30_000,
  });
  await page.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });

  let started = Date.now();
  labFault("stop-bird", "node02");
  try {
    await expect(sessions.getByText(/^node02 (Active|Connect|Idle|OpenSent|OpenConfirm)/)).toBeVisible({
      timeout: 20_000,
    });
    console.log(`fault → Overview: ${Date.now() - started} ms`);
    await expect(page.getByRole("list", { name: "Audit checks, worst first" })).toContainText("node02");

    await page.getByRole("navigation").getByRole("link", { name: "BGP", exact: true }).click();
    const table = page.getByRole("table").first();
    await expect(table.getByRole("row", { name: /node02/ })).not.toContainText("Established");
  } finally {
    started = Date.now();
    labFault("start-bird", "node02");
  }
  await expect(
    page
      .getByRole("table")
      .first()
      .getByRole("row", { name: /node02/ }),
  ).toContainText("Established", {
    timeout: 30_000,
  });
  console.log(`repair → BGP page: ${Date.now() - started} ms`);
  expect(await page.evaluate(noReload)).toBe(true);
});

test("the Cluster page lists the nodes Ready and every way in to the API", async ({ page }) => {
  await signIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "Cluster", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Nodes" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("3/3 Ready")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("kubernetes-api-vip", { exact: false }).first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "API endpoints" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "VIP", exact: true })).toBeVisible({ timeout: 30_000 });
});

test("the BGP page offers CalicoNodeStatus objects, says what it creates, and creates them once", async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "BGP", exact: true }).click();
  await page.getByRole("button", { name: "Create CalicoNodeStatus objects…" }).click();
  await expect(page.getByText(/This creates 3 CalicoNodeStatus objects/)).toBeVisible();
  await page.getByRole("button", { name: "Create them" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Created for node01, node02, node03" }),
  ).toBeVisible();
  await page.getByRole("navigation").getByRole("link", { name: "Audit", exact: true }).click();
  // The entry, in whichever layout this viewport shows (the filter's option has the same text).
  await expect(
    page.locator("code", { hasText: "calico.create-node-statuses" }).filter({ visible: true }).first(),
  ).toBeVisible();
});

test("the whole table: read from the lab router on demand, and 5,000 routes virtualised in Chromium", async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "BGP", exact: true }).click();
  await page.getByRole("button", { name: "Read the whole table" }).click();
  await expect(page.getByText(/^\d+ routes, \d+ paths, read/)).toBeVisible({ timeout: 20_000 });

  // A large table (as a router with many routes would give) through the same page: only a window is in the DOM.
  const routes = Array.from({ length: 5_000 }, (_, i) => ({
    prefix: `2001:db8:${i.toString(16)}::/64`,
    paths: [
      {
        nextHop: "2001:db8::11",
        node: "node01",
        peer: "2001:db8::11",
        best: true,
        multipath: false,
        valid: true,
        stale: false,
      },
    ],
  }));
  await page.route("**/api/bgp/table*", (route) =>
    route.fulfill({
      contentType: "application/json",
      body: JSON.stringify({
        routes,
        totalRoutes: 5_000,
        totalPaths: 5_000,
        matched: 5_000,
        fetchedAt: new Date().toISOString(),
        durationMs: 42,
      }),
    }),
  );
  await page.getByLabel("Ask the server for routes containing").fill("2001:db8");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("5,000 routes, 5,000 paths, read")).toBeVisible();
  const scroller = page.getByTestId("route-scroller").last();
  const rendered = await scroller.locator("[data-index]").count();
  expect(rendered).toBeGreaterThan(3);
  expect(rendered).toBeLessThan(100);
  await scroller.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(scroller.getByText("2001:db8:1387::/64")).toBeVisible();
});
