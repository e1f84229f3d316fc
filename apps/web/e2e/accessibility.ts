/**
 * WCAG 2 A/AA checks with axe-core inside a journey: `await expectAccessible(page, "engagements list")` on every
 * screen a journey reaches, once its content is on the page. axe-core's own source is evaluated in the page (through
 * the DevTools protocol, so the dashboard's Content-Security-Policy stays as it is), then it checks the whole
 * document against the rules tagged WCAG 2.0/2.1 A and AA. Any violation fails the test with one line per rule and
 * the selectors of (at most) the first few nodes, so a failure reads as a to-do list.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, RunOptions } from "axe-core";
import type { Page } from "playwright-core";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const NODES_SHOWN = 5;

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type Violation = AxeResults["violations"][number];

function describeViolation(v: Violation): string {
  const nodes = v.nodes.slice(0, NODES_SHOWN).map((n) => {
    // The first line of axe's summary says what to change (e.g. the measured contrast ratio).
    const why = n.failureSummary?.split("\n").find((line) => line.trim() && !line.startsWith("Fix")) ?? "";
    return `    - ${n.target.join(" ")}${why ? ` — ${why.trim()}` : ""}`;
  });
  const more = v.nodes.length > NODES_SHOWN ? [`    … and ${v.nodes.length - NODES_SHOWN} more`] : [];
  return [`  ${v.id} (${v.impact ?? "no impact"}, ${v.nodes.length} node${v.nodes.length === 1 ? "" : "s"}): ${v.help}`, ...nodes, ...more].join("\n");
}

/** Runs axe-core on the page as it is now; returns the violations (WCAG 2 A/AA). */
export async function axeViolations(page: Page): Promise<Violation[]> {
  // Transitions (dialog fade-ins, menus) are finished first: a half-faded colour is no colour a person reads.
  // Endless ones (a pulsing "live" dot, skeletons) never finish and are left as they are; 2 s at most.
  await page.evaluate(() => {
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
    const settled = Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
    return Promise.race([settled, new Promise((done) => setTimeout(done, 2000))]);
  });
  const injected = await page.evaluate(() => "axe" in window);
  if (!injected) await page.evaluate(axeSource);
  const options: RunOptions = { runOnly: { type: "tag", values: WCAG_TAGS }, resultTypes: ["violations"] };
  const results = await page.evaluate(
    (opts) => (window as unknown as { axe: { run: (c: Document, o: RunOptions) => Promise<AxeResults> } }).axe.run(document, opts),
    options,
  );
  return results.violations;
}

/** Fails with a readable list when axe-core finds a WCAG 2 A/AA violation on the screen named `name`. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length === 0) return;
  const nodes = violations.reduce((sum, v) => sum + v.nodes.length, 0);
  throw new Error(
    `axe-core: ${violations.length} WCAG 2 A/AA rule${violations.length === 1 ? "" : "s"} violated on "${name}" ` +
      `(${nodes} node${nodes === 1 ? "" : "s"}, ${page.url()}):\n${violations.map(describeViolation).join("\n")}`,
  );
}
