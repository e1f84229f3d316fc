/**
 * Chromium for one test: a fresh profile (no cookies) per test, a screenshot in e2e/screenshots/ when the test
 * fails. Use `describeInBrowser` instead of `describe`: it skips when global-setup found no Chromium.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterEach, beforeEach, describe, inject } from "vitest";

const screenshots = join(dirname(fileURLToPath(import.meta.url)), "screenshots");

export const port = inject("port");
export const chromiumPath = inject("chromiumPath");

/** `http://<slug>.localhost:PORT<path>`, or the bare domain for a null slug. Only Chromium resolves these. */
export function url(slug: string | null, path = "/"): string {
  return `http://${slug ? `${slug}.` : ""}localhost:${port}${path}`;
}

export const describeInBrowser = describe.skipIf(!chromiumPath);

async function launch(profile: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath!,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/**
 * A second browser (its own profile, so its own cookies) for a test that needs two people or two devices at
 * once; closed by the returned function.
 */
export async function secondBrowser(): Promise<{ page: Page; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "sb-e2e-chromium-"));
  const context = await launch(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens a fresh browser before each test; returns a getter for the current page. */
export function useBrowser(): () => Page {
  let context: BrowserContext | null = null;
  let profile: string | null = null;
  let page: Page | null = null;
  let log: string[] = [];

  beforeEach(async () => {
    profile = mkdtempSync(join(tmpdir(), "sb-e2e-chromium-"));
    context = await launch(profile);
    page = context.pages()[0] ?? (await context.newPage());
    // Kept for the failure report: what the page said and which requests failed.
    log = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") log.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => log.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => log.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ""}`));
    page.on("response", (r) => {
      if (r.status() >= 500) log.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
    });
  });

  afterEach(async ({ task }) => {
    // The test's errors are recorded before after-hooks run; the page is still open here.
    if (task.result?.state === "fail" && page && !page.isClosed()) {
      mkdirSync(screenshots, { recursive: true });
      const name = task.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase().slice(0, 80);
      const path = join(screenshots, `${name}.png`);
      await page.screenshot({ path, fullPage: true }).catch(() => {});
      console.error(`[e2e] screenshot of the failure: ${path} (at ${page.url()})\n${log.join("\n")}`);
    }
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    context = null;
    page = null;
    profile = null;
  });

  return () => {
    if (!page) throw new Error("no page: call inside a test");
    return page;
  };
}

/** A name nobody else used: tests can rerun against the same database. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export async function signIn(page: Page, email: string, password: string) {
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

/** Opens the top bar's tenant menu and picks a tenant by name. */
export async function switchTo(page: Page, tenantName: string) {
  await page.getByRole("button", { name: /switch tenant/i }).click();
  await page
    .getByRole("region", { name: "Your tenants" })
    .getByRole("button", { name: new RegExp(`^${tenantName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`) })
    .click();
}

/**
 * Resizes the page to a phone and waits until the shell's animations (the sidebar's padding slides away over 200 ms)
 * have finished, so a width measured next is the settled layout's.
 */
export async function onPhone(page: Page) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
}

/** Whether the settled page scrolls sideways: its content is wider than the viewport. */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

export async function heading(page: Page, name: string) {
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

/** True when a sign-in form is on the page now. */
export async function signInFormShown(page: Page): Promise<boolean> {
  return (await page.getByRole("form", { name: "Sign in" }).count()) > 0;
}

/** Signs out through the top bar's account menu. */
export async function signOut(page: Page) {
  await page.getByRole("button", { name: /^Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
}

export const DEMO_PASSWORD = "switchboard-demo";

/** Fills in and sends the sign-up form on the page it is on. */
export async function signUp(page: Page, user: { name: string; email: string; password: string }) {
  const form = page.getByRole("form", { name: "Create account" });
  await form.getByLabel("Name").fill(user.name);
  await form.getByLabel("Email").fill(user.email);
  await form.getByLabel("Password").fill(user.password);
  await form.getByRole("button", { name: "Create account" }).click();
}

/** Opens the account menu's security page. */
export async function openSecurity(page: Page) {
  await page.getByRole("button", { name: /^Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Security" }).click();
  await heading(page, "Security");
}

/** Signs in on a tenant's subdomain and waits for its overview. */
export async function signInOn(page: Page, slug: string, email: string, tenantName: string) {
  await page.goto(url(slug, "/sign-in"));
  await signIn(page, email, DEMO_PASSWORD);
  await heading(page, tenantName);
}

/** Follows a sidebar link. */
export async function nav(page: Page, label: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true }).click();
}
