// 5. Dashboard: the initial JavaScript the first page load costs (apps/web/dist/size.json, written by the web
// build) and first-contentful-paint on acme.localhost in Chromium, signed in (a session cookie for the demo
// owner) and signed out, cold cache each time, plus a warm reload.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "../lib/stack.mjs";
import { median } from "./lib.mjs";

const args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function paint(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const read = () => {
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          const nav = performance.getEntriesByType("navigation")[0];
          if (!fcp) return false;
          resolve({ fcpMs: Math.round(fcp.startTime), domContentLoadedMs: Math.round(nav?.domContentLoadedEventEnd ?? 0) });
          return true;
        };
        if (!read()) new PerformanceObserver(() => read()).observe({ type: "paint", buffered: true });
        // A page that never paints content (blank, crashed) is reported as such instead of hanging the run.
        setTimeout(() => resolve({ fcpMs: null, domContentLoadedMs: null }), 15_000);
      }),
  );
}

export async function benchDashboard({ port, cookieValue, repeats }) {
  const sizeFile = join(root, "apps/web/dist/size.json");
  const size = existsSync(sizeFile) ? JSON.parse(readFileSync(sizeFile, "utf8")) : null;
  if (!existsSync("/usr/bin/chromium")) return { size, skipped: "no /usr/bin/chromium" };
  const { chromium } = createRequire(join(root, "apps/web/package.json"))("playwright-core");
  const url = `http://acme.localhost:${port}/`;
  const runs = { signedIn: [], signedOut: [], warmReload: [] };
  for (let i = 0; i < repeats; i++) {
    for (const signedIn of [true, false]) {
      const dir = mkdtempSync(join(tmpdir(), "sb-bench-chromium-"));
      const context = await chromium.launchPersistentContext(dir, { executablePath: "/usr/bin/chromium", headless: true, args });
      try {
        if (signedIn) await context.addCookies([{ name: "sb_session", value: cookieValue, domain: "acme.localhost", path: "/", httpOnly: true, sameSite: "Lax" }]);
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(url, { waitUntil: "load", timeout: 30_000 });
        runs[signedIn ? "signedIn" : "signedOut"].push(await paint(page));
        if (signedIn) {
          await page.reload({ waitUntil: "load", timeout: 30_000 });
          runs.warmReload.push(await paint(page));
        }
      } finally {
        await context.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const painted = (v) => v !== null;
  const agg = (xs) => ({
    fcpMs: median(xs.map((x) => x.fcpMs).filter(painted)),
    domContentLoadedMs: median(xs.map((x) => x.domContentLoadedMs).filter(painted)),
    runs: xs.map((x) => x.fcpMs ?? "no paint in 15 s"),
  });
  return { size, url: "http://acme.localhost:<port>/", signedIn: agg(runs.signedIn), signedOut: agg(runs.signedOut), warmReload: agg(runs.warmReload) };
}
