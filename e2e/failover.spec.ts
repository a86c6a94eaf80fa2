// Failover in Chromium on the e2e lab: a 2 s hard fault on node02 started from the form (the node's name typed to
// confirm), watched live on the run page — samples arriving, the lanes showing node02's gap, the results table —
// then an observe run, both compared side by side, and the samples exported as CSV.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("a hard fault from the form, watched live, compared with an observe run, exported as CSV", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "Failover", exact: true }).click();
  await page.getByLabel("Scenario").selectOption("hard-fault");
  await page.getByLabel("Node", { exact: true }).selectOption("node02");
  await page.getByLabel("Fault (s)").fill("2");
  await page.getByLabel("Duration (s)").fill("8");
  const start = page.getByRole("button", { name: "Start Hard fault on node02" });
  // Not without the node's name typed.
  await expect(start).toBeDisabled();
  await page.getByLabel("Type node02 to confirm").fill("node01");
  await expect(start).toBeDisabled();
  await page.getByLabel("Type node02 to confirm").fill("node02");
  await start.click();

  await expect(page).toHaveURL(/\/failover\/runs\/[0-9a-f-]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("hard-fault on node02");
  await expect(page.getByText(/samples, live/)).toBeVisible();
  // Live: the count grows while the run goes on, without a reload.
  const count = async () =>
    Number(((await page.getByText(/samples, live/).textContent()) ?? "").replace(/[^0-9]/g, ""));
  const first = await count();
  await expect.poll(count, { timeout: 10_000 }).toBeGreaterThan(first);
  // The chart draws a latency line per way in, and each grows with the run; the table's live summary counts along.
  const curves = page.getByRole("figure").locator("path.latency-line");
  await expect.poll(() => curves.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
  const drawn = async () => ((await curves.first().getAttribute("d")) ?? "").length;
  const drawnFirst = await drawn();
  await expect.poll(drawn, { timeout: 10_000 }).toBeGreaterThan(drawnFirst);
  // Pointing at the plot reads each line's latency at that moment.
  await expect(page.getByText("Point at the chart to read each line's latency at a moment.")).toBeVisible();
  await page
    .getByRole("figure")
    .locator("svg.recharts-surface")
    .first()
    .hover({ position: { x: 300, y: 100 } });
  await expect(page.getByText(/^At \d+\.\d s: VIP (\d+\.\d ms|no success) · /)).toBeVisible();
  const liveSamples = async () =>
    Number(
      await page
        .getByRole("table")
        .getByRole("row", { name: /node01 \(direct\) new each probe/ })
        .getByRole("cell")
        .nth(1)
        .textContent()
        .then((t) => (t ?? "").replace(/[^0-9]/g, "")),
    );
  const liveFirst = await liveSamples();
  expect(liveFirst).toBeGreaterThan(0);
  await expect.poll(liveSamples, { timeout: 10_000 }).toBeGreaterThan(liveFirst);
  await expect(page.getByRole("status", { name: "Run state" })).toHaveText("done", { timeout: 60_000 });

  const results = page.getByRole("table");
  const row = results.getByRole("row", { name: /node02 \(direct\) new each probe/ });
  await expect(row).toContainText("timeout");
  const unavailable = (await row.getByRole("cell").nth(3).textContent()) ?? "";
  const seconds = Number(unavailable.replace(/ s$/, ""));
  expect(seconds).toBeGreaterThanOrEqual(1.8);
  expect(seconds).toBeLessThanOrEqual(2.2);
  await expect(
    results
      .getByRole("row", { name: /node01 \(direct\) new each probe/ })
      .getByRole("cell")
      .nth(3),
  ).toHaveText("0 ms");
  await expect(
    page.getByRole("list", { name: "Disruption intervals per way in and connection" }),
  ).toContainText("1 disruption");
  await expect(page.getByRole("list").filter({ hasText: "drop-node-traffic on node02" })).toBeVisible();
  // The action is a red line on the chart and its steps dashed ones, inside the plot and in time order.
  const figure = page.getByRole("figure");
  await expect(figure.locator("line.action-marker")).toHaveCount(1);
  const marks = await figure
    .locator("line.event-marker")
    .evaluateAll((ls) => ls.map((l) => Number(l.getAttribute("x1"))));
  expect(marks.length).toBeGreaterThanOrEqual(2);
  const plot = await figure.locator("g.recharts-cartesian-grid").boundingBox();
  const box = await figure.locator("svg.recharts-surface").first().boundingBox();
  // The plot's left and right edges in the SVG's own coordinates, which the lines' x1 are in.
  const left = (plot?.x ?? 0) - (box?.x ?? 0);
  const right = left + (plot?.width ?? 0);
  const actionX = Number(await figure.locator("line.action-marker").getAttribute("x1"));
  for (const x of [...marks, actionX]) {
    expect(x).toBeGreaterThan(left - 1);
    expect(x).toBeLessThan(right + 1);
  }
  expect(marks).toEqual([...marks].sort((a, b) => a - b));

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await (await download).path();
  const lines = readFileSync(file, "utf8").trim().split("\r\n");
  expect(lines[0]).toBe("seq,endpoint,mode,address,startedAt,durationMs,outcome,error");
  expect(lines.some((l) => /,node:node02,new,[0-9a-f:]+,[0-9T:.-]+Z,[0-9.]+,timeout,/.test(l))).toBe(true);

  // An observe run to compare with.
  await page.getByRole("link", { name: "All runs" }).click();
  await page.getByLabel("Duration (s)").fill("3");
  const faultUrl = page.url();
  await page.getByRole("button", { name: "Start observing" }).click();
  await expect(page).toHaveURL(/\/failover\/runs\/[0-9a-f-]+$/);
  expect(page.url()).not.toBe(faultUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("observe");
  await expect(page.getByRole("status", { name: "Run state" })).toHaveText("done", {
    timeout: 30_000,
  });
  await page.getByRole("link", { name: "All runs" }).click();
  const boxes = page.getByRole("checkbox", { name: /^Compare the/ });
  // The list may still be the cached one without the observe run: wait for both.
  await expect(boxes).toHaveCount(2);
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByRole("link", { name: "Compare the two" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Compare runs");
  const node02 = page.getByRole("row", { name: /node02 \(direct\) new each probe/ });
  // A is the newer (observe), B the fault: B lost about 2 s more.
  await expect(node02.getByRole("cell").nth(1)).toHaveText("0 ms");
  await expect(node02.getByRole("cell").nth(3)).toHaveText(/^\+(1\.[89]\d|2\.[0-2]\d) s$/);
});
