import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:18080";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
for (const [w, h, dark] of [[1366, 900, false], [390, 844, true]]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: dark ? "dark" : "light" });
  const page = await ctx.newPage();
  page.on("console", (m) => { if (m.type() === "error") console.log("console error:", m.text()); });
  page.on("pageerror", (e) => console.log("page error:", e.message));
  await page.goto(base + "/");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("live-status").filter({ hasText: "Live" }).waitFor();
  await page.goto(base + "/setup");
  await page.getByText("Next:").waitFor();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/shots/setup-${w}.png`, fullPage: true });
  const card = page.locator("article").filter({ has: page.getByRole("heading", { name: /API server configuration/ }) });
  await card.getByRole("button", { name: "Preview" }).click();
  await card.getByText("Preview:").waitFor({ timeout: 20000 });
  await card.screenshot({ path: `/tmp/shots/setup-preview-${w}.png` });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  console.log(w, "overflow px", overflow);
  await ctx.close();
}
await browser.close();
