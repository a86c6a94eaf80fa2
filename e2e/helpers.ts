// What every spec does first: sign in as admin on the e2e server and wait for the live link.
import { expect, type Page } from "@playwright/test";
import { E2E_PASSWORD } from "../playwright.config";

export async function signIn(page: Page) {
  await page.goto("/");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("live-status")).toHaveText(/Live/);
}
