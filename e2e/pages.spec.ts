// Every page as operators meet it: its own title, no violation axe-core can find in either theme, nothing wider
// than its card at laptop and phone size.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { navItems } from "../apps/web/src/app/nav";
import { signIn } from "./helpers";

/** Every section of the navigation, and the account page. */
const PAGES = [
  ...navItems.map((item) => ({ path: item.href, title: item.label })),
  { path: "/account", title: "Account" },
];

/** What one page may take to load and be checked (a full run took 25-34 s for all of them on 2 cores). */
const PAGE_BUDGET_MS = 10_000;

/** axe-core with its experimental label-content-name-mismatch rule on (the accessible name must start with the visible text). */
function axe(page: Page) {
  return new AxeBuilder({ page }).options({ rules: { "label-content-name-mismatch": { enabled: true } } });
}

/** Elements wider than their box: every card, the main column, the page itself. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) found.push(`page ${doc.scrollWidth} > ${doc.clientWidth}`);
    for (const el of document.querySelectorAll<HTMLElement>("main, main section, main section *")) {
      const style = getComputedStyle(el);
      const scrolls = style.overflowX === "auto" || style.overflowX === "scroll";
      if (
        (el.tagName === "SECTION" || el.tagName === "MAIN" || scrolls) &&
        el.scrollWidth > el.clientWidth + 1
      ) {
        const name = el.querySelector("h2, h1")?.textContent ?? el.className.slice(0, 40);
        found.push(`${el.tagName} "${name}" ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return found;
  });
}

for (const theme of ["light", "dark"] as const) {
  test(`every page has its title and no axe violations (${theme})`, async ({ page }) => {
    // axe takes seconds per page on a busy 2-core machine: a budget per page, not one for the whole walk.
    test.setTimeout(PAGE_BUDGET_MS * (PAGES.length + 1));
    await page.emulateMedia({ colorScheme: theme });
    await page.goto("/login");
    await expect(page).toHaveTitle("Sign in — k3s HA Console");
    const login = await axe(page).analyze();
    expect(
      login.violations.map((v) => `${v.id}: ${v.nodes.length}`),
      "/login",
    ).toEqual([]);
    await signIn(page);
    for (const { path, title } of PAGES) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
      await expect(page).toHaveTitle(`${title} — k3s HA Console`);
      const result = await axe(page).analyze();
      const summary = result.violations.map(
        (v) =>
          `${v.id}: ${v.nodes
            .map((n) => n.target.join(" "))
            .slice(0, 3)
            .join(" | ")}`,
      );
      expect(summary, path).toEqual([]);
    }
  });
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`nothing overflows its card at ${viewport.width}×${viewport.height}`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await signIn(page);
    for (const { path, title } of PAGES) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
      expect(await overflowing(page), path).toEqual([]);
    }
  });
}

test("a page change moves focus to the new page's heading and announces it", async ({ page }) => {
  await signIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "Audit", exact: true }).click();
  const heading = page.getByRole("heading", { level: 1, name: "Audit" });
  await expect(heading).toBeFocused();
  await expect(page.locator("#route-announcer")).toHaveText("Audit page");
});

test("the phone menu lists every page", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.getByRole("button", { name: /Open the menu/ }).click();
  const menu = page.locator("#section-menu");
  for (const { title } of PAGES.filter((p) => p.path !== "/account")) {
    await expect(menu.getByRole("link", { name: title, exact: true })).toBeInViewport();
  }
  await menu.getByRole("link", { name: "Audit", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit" })).toBeFocused();
  await expect(menu).toHaveCount(0);
});

test("the address plan offers a skip link to its findings early in the tab order", async ({ page }) => {
  await signIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "Address plan", exact: true }).click();
  await expect(page.getByTestId("allocation-map")).toBeVisible();
  const skip = page.getByRole("link", { name: /Skip to the findings/ });
  let presses = 0;
  for (; presses < 20; presses++) {
    await page.keyboard.press("Tab");
    if (await skip.evaluate((el) => el === document.activeElement)) break;
  }
  expect(presses).toBeLessThan(20);
  await page.keyboard.press("Enter");
  await expect(page.locator("#findings")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.locator(":focus")).toHaveText(/Show on map|Info|documentation-prefix/);
});
