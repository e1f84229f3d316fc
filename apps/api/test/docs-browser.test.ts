// /docs in Chromium: Scalar renders the generated reference from this server alone — every request the page makes
// goes to this origin — under the page's CSP, and a procedure's snippet carries its input on the tRPC wire format.
// Skipped where no Chromium is installed (.ci/run installs Debian's).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helper";

const chromiumPath = "/usr/bin/chromium";

describe.skipIf(!existsSync(chromiumPath))("GET /docs in Chromium", () => {
  let t: TestApp;
  let origin: string;
  beforeAll(async () => {
    t = await buildTestApp();
    origin = await t.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(() => t?.close());

  it("renders every procedure, loads nothing from elsewhere, and shows curl snippets with ?input=<JSON>", async () => {
    const profile = mkdtempSync(join(tmpdir(), "sb-docs-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const requested = new Set<string>();
      const violations: string[] = [];
      // Answers received: a request the CSP blocks (Scalar's web fonts) never reaches the network, and has none.
      page.on("response", (r) => requested.add(new URL(r.url()).origin));
      await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
      await page.addInitScript({
        content: `document.addEventListener("securitypolicyviolation", (e) => window.reportViolation(e.effectiveDirective + " " + e.blockedURI));`,
      });

      await page.goto(`${origin}/docs#tag/calls/GET/trpc/calls.get`);
      await page.getByRole("heading", { name: "calls.get" }).first().waitFor({ timeout: 90_000 });
      // The sidebar lists every domain (the routers that landed last included) and the open one's procedures.
      for (const tag of ["auth", "calls", "engagements", "webhooks", "integrations"]) {
        expect(await page.getByText(tag, { exact: true }).count(), tag).toBeGreaterThan(0);
      }
      expect(await page.getByText("calls.update", { exact: true }).count()).toBeGreaterThan(0);
      const snippet = page.locator("code", { hasText: "curl" }).filter({ hasText: "calls.get" }).first();
      await snippet.waitFor();
      expect(await snippet.textContent()).toMatch(/calls\.get\?input=%7B%22id%22%3A%22[0-9a-f-]{36}%22%7D/);

      expect([...requested]).toEqual([origin]);
      // The page cannot reach elsewhere either (and the listener above hears the CSP): a fetch to another origin is refused.
      await page.evaluate(`fetch("https://example.com/exfiltrate").catch(() => null)`);
      await expect.poll(() => violations).toContain("connect-src https://example.com/exfiltrate");
      // What the CSP refuses, it refuses harmlessly: zod's probe for `Function` (it falls back) and the web fonts
      // Scalar's stylesheet names on fonts.scalar.com (system fonts are used).
      const unexpected = violations.filter(
        (v) => v !== "script-src eval" && !/^font-src https:\/\/fonts\.scalar\.com\//.test(v) && !v.includes("example.com/exfiltrate"),
      );
      expect(unexpected).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 150_000);
});
