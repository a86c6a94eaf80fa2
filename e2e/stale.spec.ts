// When the live channel drops, every page with live data says it is not live and how old it is; it recovers.
import { expect, type Page, test, type WebSocketRoute } from "@playwright/test";
import { signIn } from "./helpers";

/** The live channel through a switch the test flips: down closes the open sockets and refuses new ones. */
async function liveLink(page: Page) {
  let up = true;
  const open: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/api\/ws$/, (ws) => {
    if (!up) {
      void ws.close({ code: 4000, reason: "test: link down" });
      return;
    }
    ws.connectToServer();
    open.push(ws);
  });
  return {
    async down() {
      up = false;
      for (const ws of open.splice(0)) await ws.close({ code: 4000, reason: "test: link down" });
    },
    up() {
      up = true;
    },
  };
}

test("a dropped live channel makes the pages say they are not live, and the notice goes when it is back", async ({
  page,
}) => {
  const link = await liveLink(page);
  await signIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "Address plan", exact: true }).click();
  await expect(page.getByTestId("allocation-map")).toBeVisible();
  await expect(page.getByTestId("stale-notice")).toHaveCount(0);

  await link.down();
  await expect(page.getByTestId("live-status")).not.toHaveText(/^Live$/);
  const notice = page.getByTestId("stale-notice");
  await expect(notice).toContainText("Not live.");
  await expect(notice).toContainText(/as fetched (just now|\d+ s ago)/);
  await expect(page.getByText("when last seen (not live)")).toBeVisible();
  for (const name of ["Overview", "Audit"]) {
    await page.getByRole("navigation").getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByTestId("stale-notice")).toContainText("Not live.");
  }

  link.up();
  await page.dispatchEvent("body", "focus");
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(page.getByTestId("live-status")).toHaveText(/Live/, { timeout: 15_000 });
  await expect(page.getByTestId("stale-notice")).toHaveCount(0);
});

test("on a phone, the header fits while the live channel reconnects", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const link = await liveLink(page);
  await signIn(page);
  await link.down();
  const status = page.getByTestId("live-status");
  await expect(status).toHaveAttribute("data-status", /reconnecting|connecting/);
  // The word stays for screen readers; the header must not push the page wider than the screen.
  await expect(status).toContainText(/Connecting…|Reconnecting…/);
  const widths = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(widths[0]).toBeLessThanOrEqual(widths[1] ?? 0);
});
