import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, dataExports, emailOutbox, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { directoryStore, expireExports, type JobRunner } from "@switchboard/jobs";
import { asKey, codeOf, createKeyFixture, createTenantWithRoles, startTestJobRunner, testAuth } from "../../testing";
import { openAuditExport, writeAuditCsv } from "../audit/audit.export";
import { openExportFile, recordLinkDownload } from "./exports.files";
import { checkExportToken, exportDownloadPath } from "./exports.links";

let t: TestDatabase;
let dir: string;
let runner: JobRunner;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;
const store = () => directoryStore(dir);

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "sb-exports-test-"));
  acme = await createTenantWithRoles(t.app, "exp-acme");
  other = await createTenantWithRoles(t.app, "exp-other");
  runner = await startTestJobRunner(t, { exports: { store: store(), tenantLink: (slug, path) => `http://${slug}.localhost:3000${path}`, spoolDir: dir } });
  const agent = acme.as(acme.agent);
  for (let i = 0; i < 5; i++) await agent.calls.create({ direction: "inbound", customerPhone: `+1555000${1000 + i}` });
  await agent.leads.create({ name: '=HYPERLINK("http://evil")', email: "lead@example.com", source: "fair, 2026" });
  await agent.leads.create({ name: "Line\nbreak", phone: "+15550009999" });
  await agent.engagements.create({ channel: "email", customer: "c@example.com", subject: "Hello", message: "First message" });
  await other.as(other.agent).calls.create({ direction: "outbound", customerPhone: "+15559990000" });
}, 60_000);
afterAll(async () => {
  await runner?.stop(2000);
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function waitReady(caller: ReturnType<typeof acme.as>, id: string) {
  for (let i = 0; i < 200; i++) {
    const e = (await caller.exports.list()).items.find((x) => x.id === id)!;
    if (e.status === "ready" || e.status === "failed") return e;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("export did not finish");
}

async function fileOf(id: string) {
  const [row] = await t.owner.db.select().from(dataExports).where(eq(dataExports.id, id));
  return { row: row!, bytes: await readFile(join(dir, row!.storageKey!)) };
}

/** The members of a ustar archive: name → text. */
function untar(buf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (let at = 0; at + 512 <= buf.length; ) {
    const header = buf.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString("ascii").replace(/\0.*$/s, "");
    const size = parseInt(header.subarray(124, 136).toString("ascii"), 8);
    out[name] = buf.subarray(at + 512, at + 512 + size).toString("utf8");
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe("exports", () => {
  it("NDJSON: one gzip file, a line per row with its kind first, only this tenant's rows; ready with rows and bytes; admins mailed; audited", async () => {
    const admin = acme.as(acme.admin);
    const created = await admin.exports.create({ kinds: ["calls", "leads"], format: "ndjson" });
    expect(created).toMatchObject({ status: "pending", kinds: ["calls", "leads"], format: "ndjson", rows: 0, removedAt: null });
    expect(new Date(created.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 86400_000);
    const done = await waitReady(admin, created.id);
    expect(done).toMatchObject({ status: "ready", rows: 7, error: null });
    const { row, bytes } = await fileOf(created.id);
    expect(row.storageKey).toBe(`${acme.tenant.id}/${created.id}.ndjson.gz`);
    expect(done.bytes).toBe(bytes.length);
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const lines = gunzipSync(bytes).toString("utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.kind)).toEqual(["calls", "calls", "calls", "calls", "calls", "leads", "leads"]);
    expect(Object.keys(lines[0]!)[0]).toBe("kind");
    expect(lines[0]).toMatchObject({ direction: "inbound", customerPhone: expect.stringMatching(/^\+1555000100\d$/) });
    expect(lines[0]!.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.stringify(lines)).not.toContain("+15559990000");
    expect(lines.find((l) => l.kind === "leads" && l.email === "lead@example.com")).toMatchObject({ name: '=HYPERLINK("http://evil")', source: "fair, 2026" });

    const mails = await t.owner.db.select().from(emailOutbox).where(and(eq(emailOutbox.tenantId, acme.tenant.id), eq(emailOutbox.kind, "export-ready")));
    expect(mails.map((m) => m.to).sort()).toEqual([acme.admin.email, acme.owner.email].sort());
    expect(mails[0]!.body).toContain("http://exp-acme.localhost:3000/settings/data");
    const audit = await t.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, acme.tenant.id), eq(auditLog.action, "exports.create")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ resourceType: "export", resourceId: created.id, result: "success" });
  });

  it("CSV of one kind is a .csv.gz; of several, a .tar.gz with one RFC 4180 file per kind, formula cells defused", async () => {
    const admin = acme.as(acme.admin);
    const one = await admin.exports.create({ kinds: ["leads"], format: "csv" });
    await waitReady(admin, one.id);
    const single = await fileOf(one.id);
    expect(single.row.storageKey).toMatch(/\.csv\.gz$/);
    const csv = gunzipSync(single.bytes).toString("utf8");
    expect(csv.split("\r\n")[0]).toBe("id,name,phone,email,source,contactId,status,erasedAt,createdAt,updatedAt");
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil"")",`);
    expect(csv).toContain(`,"fair, 2026",`);
    expect(csv).toContain(`,"Line\nbreak",'+15550009999,`);

    const many = await admin.exports.create({ kinds: ["calls", "engagements", "audit"], format: "csv" });
    const done = await waitReady(admin, many.id);
    const tar = await fileOf(many.id);
    expect(tar.row.storageKey).toMatch(/\.tar\.gz$/);
    const members = untar(gunzipSync(tar.bytes));
    expect(Object.keys(members)).toEqual(["calls.csv", "engagements.csv", "audit.csv"]);
    expect(members["calls.csv"]!.trimEnd().split("\r\n")).toHaveLength(6);
    expect(members["engagements.csv"]).toContain("c@example.com");
    expect(members["audit.csv"]).toContain("exports.create");
    const dataLines = Object.values(members).reduce((n, m) => n + m.trimEnd().split("\r\n").length - 1, 0);
    expect(done.rows).toBe(dataLines);
    // Spool files are gone.
    expect((await readdir(dir)).filter((f) => f.startsWith("switchboard-export-"))).toEqual([]);
  });

  it("download: a signed link on the tenant's host (15 minutes), audited when issued and when used; not ready → PRECONDITION_FAILED", async () => {
    const admin = acme.as(acme.admin);
    const created = await admin.exports.create({ kinds: ["contacts"], format: "ndjson" });
    await waitReady(admin, created.id);
    const { url } = await admin.exports.download({ id: created.id });
    const m = /^\/exports\/([0-9a-f-]{36})\/download\?token=([^&]+)$/.exec(url)!;
    expect(m[1]).toBe(created.id);
    const secrets = testAuth(t.app).secrets;
    const token = decodeURIComponent(m[2]!);
    const req = { db: t.app, secrets, token, exportId: created.id, ip: "203.0.113.7", userAgent: "curl" };

    const opened = await openExportFile({ ...req, slug: "exp-acme" });
    expect(opened).toMatchObject({ kind: "file", userId: acme.admin.id, filename: expect.stringMatching(/^exp-acme-export-\d{4}-\d\d-\d\d\.ndjson\.gz$/) });
    // Another tenant's host, a tampered token, another export id, the bare domain: all the same not-found.
    expect(await openExportFile({ ...req, slug: "exp-other" })).toEqual({ kind: "not-found" });
    expect(await openExportFile({ ...req, slug: "exp-acme", token: token.slice(0, -2) + (token.endsWith("AA") ? "BA" : "AA") })).toEqual({ kind: "not-found" });
    expect(await openExportFile({ ...req, slug: "exp-acme", exportId: crypto.randomUUID() })).toEqual({ kind: "not-found" });
    expect(await openExportFile({ ...req, slug: null })).toEqual({ kind: "not-found" });
    // A genuine link past its 15 minutes is gone.
    const old = exportDownloadPath(secrets, acme.tenant.id, created.id, acme.admin.id, Date.now() - 16 * 60_000).split("token=")[1]!;
    expect(checkExportToken(secrets, acme.tenant.id, created.id, old)).toEqual({ ok: false, reason: "expired" });
    expect(await openExportFile({ ...req, slug: "exp-acme", token: old })).toEqual({ kind: "gone" });

    await recordLinkDownload(t.app, req, { tenantId: acme.tenant.id, userId: acme.admin.id, action: "exports.downloaded", resourceType: "export", resourceId: created.id });
    const audit = await t.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, acme.tenant.id), eq(auditLog.resourceId, created.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["exports.create", "exports.download", "exports.downloaded"]);
    expect(audit.find((a) => a.action === "exports.downloaded")).toMatchObject({ actorId: acme.admin.id, actorLabel: acme.admin.email, ip: "203.0.113.7" });
    expect(JSON.stringify(audit)).not.toContain(token);

    // Not ready yet: a precondition, not a link. Another tenant's export: NOT_FOUND.
    await withScope(t.app, { tenantId: acme.tenant.id }, (tx) => tx.update(dataExports).set({ status: "running" }).where(eq(dataExports.id, created.id)));
    expect(await codeOf(admin.exports.download({ id: created.id }))).toBe("PRECONDITION_FAILED");
    await withScope(t.app, { tenantId: acme.tenant.id }, (tx) => tx.update(dataExports).set({ status: "ready" }).where(eq(dataExports.id, created.id)));
    expect(await codeOf(other.as(other.admin).exports.download({ id: created.id }))).toBe("NOT_FOUND");
  });

  it("exports.expire removes files past their date and marks them; their links are gone; another tenant's files stay", async () => {
    const admin = acme.as(acme.admin);
    const mine = await admin.exports.create({ kinds: ["calls"], format: "csv" });
    const theirs = await other.as(other.admin).exports.create({ kinds: ["calls"], format: "csv" });
    await waitReady(admin, mine.id);
    await waitReady(other.as(other.admin), theirs.id);
    const { url } = await admin.exports.download({ id: mine.id });
    const token = decodeURIComponent(url.split("token=")[1]!);
    await withScope(t.app, { tenantId: acme.tenant.id }, (tx) =>
      tx.update(dataExports).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(dataExports.id, mine.id)),
    );
    const { row } = await fileOf(mine.id);
    const result = await expireExports({ db: t.app, store: store() });
    expect(result.removed).toBeGreaterThanOrEqual(1);
    await expect(readFile(join(dir, row.storageKey!))).rejects.toThrow(/ENOENT/);
    expect((await fileOf(theirs.id)).bytes.length).toBeGreaterThan(0);
    expect((await admin.exports.list()).items.find((e) => e.id === mine.id)!.removedAt).not.toBeNull();
    const secrets = testAuth(t.app).secrets;
    expect(await openExportFile({ db: t.app, secrets, token, exportId: mine.id, slug: "exp-acme", ip: null, userAgent: null })).toEqual({ kind: "gone" });
    expect(await codeOf(admin.exports.download({ id: mine.id }))).toBe("PRECONDITION_FAILED");
  });

  it("at most 3 in progress per tenant; people only; admins only; input validated", async () => {
    const admin = other.as(other.admin);
    await runner.stop(2000);
    try {
      for (let i = 0; i < 3; i++) await admin.exports.create({ kinds: ["calls"], format: "ndjson" });
      expect(await codeOf(admin.exports.create({ kinds: ["calls"], format: "ndjson" }))).toBe("PRECONDITION_FAILED");
    } finally {
      runner = await startTestJobRunner(t, { exports: { store: store(), tenantLink: (slug, path) => `http://${slug}.localhost:3000${path}`, spoolDir: dir } });
    }
    const key = await createKeyFixture(t.app, acme.tenant.id, "admin");
    expect(await codeOf(asKey(t.app, key.key, "exp-acme").exports.create({ kinds: ["calls"], format: "csv" }))).toBe("FORBIDDEN");
    expect((await asKey(t.app, key.key, "exp-acme").exports.list()).items.length).toBeGreaterThan(0);
    expect(await codeOf(acme.as(acme.agent).exports.create({ kinds: ["calls"], format: "csv" }))).toBe("FORBIDDEN");
    expect(await codeOf(acme.as(acme.viewer).exports.list())).toBe("FORBIDDEN");
    const a = acme.as(acme.admin);
    for (const bad of [
      { kinds: [], format: "csv" },
      { kinds: ["calls", "calls"], format: "csv" },
      { kinds: ["users"], format: "csv" },
      { kinds: ["calls"], format: "xml" },
      { kinds: ["calls"], format: "csv", extra: 1 },
      { kinds: ["calls\u0000"], format: "csv" },
    ]) {
      expect(await codeOf(a.exports.create(bad as never))).toBe("BAD_REQUEST");
    }
    expect(await codeOf(a.exports.download({ id: "not-a-uuid" }))).toBe("BAD_REQUEST");
  });
});

describe("audit.export", () => {
  it("a signed CSV link of the filtered log, newest first, this tenant's entries only; audited", async () => {
    const admin = acme.as(acme.admin);
    const { url } = await admin.audit.export({ action: "exports.create" });
    expect(url).toMatch(/^\/audit\/export\.csv\?token=[A-Za-z0-9_.-]+$/);
    const token = url.split("token=")[1]!;
    const secrets = testAuth(t.app).secrets;
    const req = { db: t.app, secrets, token, ip: null, userAgent: null };
    expect(await openAuditExport({ ...req, slug: "exp-other" })).toEqual({ kind: "not-found" });
    const opened = await openAuditExport({ ...req, slug: "exp-acme" });
    expect(opened.kind).toBe("csv");
    let csv = "";
    const rows = await writeAuditCsv(t.app, (opened as { claims: Parameters<typeof writeAuditCsv>[1] }).claims, async (c) => {
      csv += c;
    });
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,actorType,actorId,actorLabel,action,resourceType,resourceId,ip,userAgent,result,reason");
    expect(lines).toHaveLength(rows + 1);
    expect(rows).toBeGreaterThanOrEqual(5);
    expect(lines.slice(1).every((l) => l.includes(",exports.create,export,"))).toBe(true);
    const ats = lines.slice(1).map((l) => l.split(",")[1]!);
    expect([...ats].sort().reverse()).toEqual(ats);
    const issued = await t.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, acme.tenant.id), eq(auditLog.action, "audit.export")));
    expect(issued).toHaveLength(1);
    expect(await codeOf(acme.as(acme.agent).audit.export({}))).toBe("FORBIDDEN");
    expect(await codeOf(admin.audit.export({ from: "yesterday" } as never))).toBe("BAD_REQUEST");
  });
});
