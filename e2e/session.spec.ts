// Sessions as operators meet them: signing out in one tab ends the live page in another at once.
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("signing out in one tab sends the other tab's live page to sign-in, without a reconnect loop", async ({
  context,
}) => {
  const first = await context.newPage();
  await signIn(first);
  await first.getByRole("navigation").getByRole("link", { name: "Address plan", exact: true }).click();
  await expect(first.getByTestId("allocation-map")).toBeVisible();
  const sockets: string[] = [];
  first.on("websocket", (ws) => sockets.push(ws.url()));

  const second = await context.newPage();
  await second.goto("/");
  await expect(second.getByTestId("live-status")).toHaveText(/Live/);
  await second.getByRole("button", { name: "Sign out" }).click();
  await expect(second).toHaveURL(/\/login/);

  // The first tab learns from its websocket (closed with 4401), not from a later request.
  await expect(first).toHaveURL(/\/login/, { timeout: 5000 });
  await expect(first.getByLabel("Username")).toBeVisible();
  await first.waitForTimeout(1500);
  expect(sockets).toHaveLength(0);
});

test("the account page explains that the environment sets the admin password", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: /admin/ }).click();
  await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
  await expect(page.getByText("K3S_HA_ADMIN_PASSWORD").first()).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveCount(0);
});
