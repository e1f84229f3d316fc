// The PrometheusRule: off by default, needs the ServiceMonitor it reads from, scoped to this release's job, and every
// metric it names is one the API exports (its source registers it) or a documented outside one.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FULLNAME, MINIMAL, one, render, renderError } from "./helpers/chart.js";

const apiDir = resolve(import.meta.dirname, "../../../../apps/api");

/** Metric names registered in apps/api/src, by kind (Counter, Gauge, Histogram). */
function apiMetrics(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) {
        for (const m of readFileSync(path, "utf8").matchAll(/new (Counter|Gauge|Histogram)\(\{\s*name: "([a-z_]+)"/g)) found.set(m[2]!, m[1]!);
      }
    }
  };
  walk(join(apiDir, "src"));
  return found;
}

/** prom-client's default metrics (collectDefaultMetrics), read from the installed package. */
function defaultMetrics(): Set<string> {
  const dir = join(apiDir, "node_modules/prom-client/lib/metrics");
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    for (const m of readFileSync(join(dir, file), "utf8").matchAll(/'((?:nodejs|process)_[a-z0-9_]+)'/g)) names.add(m[1]!);
  }
  return names;
}

const withRules = { serviceMonitor: { enabled: true }, prometheusRule: { enabled: true } };

describe("PrometheusRule", () => {
  it("is off by default and needs the ServiceMonitor", async () => {
    expect((await render({ files: MINIMAL })).some((o) => o.kind === "PrometheusRule")).toBe(false);
    expect(await renderError({ files: MINIMAL, values: { prometheusRule: { enabled: true } } })).toMatch(/prometheusRule.enabled needs serviceMonitor.enabled/);
  });

  it("alerts on the API's own metrics, scoped to this release's scrape job, each with a severity and a runbook", async () => {
    const rule = one(await render({ files: MINIMAL, values: { ...withRules, prometheusRule: { enabled: true, alertLabels: { team: "platform" } } } }), "PrometheusRule");
    const rules = rule.spec.groups.flatMap((g: any) => g.rules);
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(["switchboard.api"]);
    expect(rules.map((r: any) => r.alert)).toEqual([
      "SwitchboardAPIDown",
      "SwitchboardAPIPodsDown",
      "SwitchboardHighErrorRate",
      "SwitchboardSlowProcedures",
      "SwitchboardDatabasePoolExhausted",
      "SwitchboardSlowTransactions",
      "SwitchboardEventLoopBlocked",
      "SwitchboardLiveEventsLagging",
      "SwitchboardAuditDenialsDropped",
    ]);
    const readme = readFileSync(resolve(import.meta.dirname, "../../../README.md"), "utf8");
    for (const r of rules) {
      expect(r.expr, r.alert).toContain(`job="${FULLNAME}", namespace="switchboard"`);
      expect(["critical", "warning", "info"], r.alert).toContain(r.labels.severity);
      expect(r.labels.team, r.alert).toBe("platform");
      // The runbook link points at a heading of deploy/README.md.
      expect(r.annotations.runbook_url, r.alert).toMatch(new RegExp(`/deploy/README\\.md#${r.alert.toLowerCase()}$`));
      expect(readme, `deploy/README.md has a "### ${r.alert}" section`).toContain(`### ${r.alert}\n`);
    }
  });

  it("names only metrics the API registers (histograms as _bucket), prom-client's defaults, `up`, CloudNativePG's or kube-state-metrics'", async () => {
    const objects = await render({ files: ["production-values.yaml"], values: { backup: { pgDump: { enabled: true, database: { existingSecret: "dump" } } } } });
    const rules = one(objects, "PrometheusRule").spec.groups.flatMap((g: any) => g.rules);
    const registered = apiMetrics();
    const defaults = defaultMetrics();
    expect(registered.get("switchboard_requests_total")).toBe("Counter");
    expect(defaults).toContain("nodejs_eventloop_lag_p99_seconds");
    const used = new Set<string>(rules.flatMap((r: any) => [...String(r.expr).matchAll(/\b([a-z_][a-z0-9_]*)\{/g)].map((m) => m[1]!)));
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) {
      if (name === "up" || name.startsWith("cnpg_") || name.startsWith("kube_cronjob_")) continue;
      if (name.endsWith("_bucket")) {
        expect(registered.get(name.slice(0, -"_bucket".length)), name).toBe("Histogram");
        continue;
      }
      expect(registered.has(name) || defaults.has(name), `${name} is exported by the API`).toBe(true);
    }
  });

  it("adds backup alerts for what is configured: CloudNativePG's backups and WAL archiving, the pg_dump CronJob", async () => {
    const cnpg = one(await render({ files: ["production-values.yaml"] }), "PrometheusRule");
    const backups = cnpg.spec.groups.find((g: any) => g.name === "switchboard.backups");
    expect(backups.rules.map((r: any) => r.alert)).toEqual(["SwitchboardBackupTooOld", "SwitchboardWALArchivingFailing"]);
    expect(backups.rules[0].expr).toContain(`pod=~"${FULLNAME}-db-[0-9]+"`);
    expect(backups.rules[0].expr).toContain("> 93600");
    const dump = one(await render({ files: ["external-db-values.yaml"], values: { prometheusRule: { backupMaxAgeHours: 48 } } }), "PrometheusRule");
    const rules = dump.spec.groups.find((g: any) => g.name === "switchboard.backups").rules;
    expect(rules.map((r: any) => r.alert)).toEqual(["SwitchboardDumpTooOld"]);
    expect(rules[0].expr).toContain(`cronjob="${FULLNAME}-pg-dump"`);
    expect(rules[0].expr).toContain("> 172800");
  });
});
