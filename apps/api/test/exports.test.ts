// Export downloads and the audit log's CSV over real sockets: the worker writes an export into EXPORTS_DIR, the
// signed link streams it with Content-Length and ranges, on the tenant's host only, audited; expired → 410.
import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { and, eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, dataExports, tenants } from "@switchboard/db";
import { loadEnv } from "../src/env";
import { exportSpoolDirOf, exportStoreOf } from "../src/exports-store";
import { parseRange } from "../src/plugins/exports";
import { startWorker } from "../src/worker";
import { buildTestApp, expectNoLeaks, mutate, query, sessionCookie, type TestApp } from "./helper";

let t: TestApp;
let port: number;
let owner: string;
let dir: string;
let worker: Awaited<ReturnType<typeof startWorker>>;
const host = "dl-acme.localhost:3000";

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, headers: { host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

async function readyExport(kinds: string[], format: string) {
  const created = await mutate(t.app, "exports.create", { kinds, format }, { host, cookie: owner });
  expect(created.statusCode, created.body).toBe(200);
  const id = created.json().result.data.id as string;
  for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const item = (await query(t.app, "exports.list", undefined, { host, cookie: owner })).json().result.data.items.find((e: { id: string }) => e.id === id);
    if (item.status === "ready") return item as { id: string; rows: number; bytes: number };
    expect(item.status).not.toBe("failed");
  }
  throw new Error("export not ready");
}

async function linkTo(id: string) {
  const res = await mutate(t.app, "exports.download", { id }, { host, cookie: owner });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().result.data.url as string;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sb-exports-http-"));
  t = await buildTestApp({ EXPORTS_DIR: dir });
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  port = (t.app.server.address() as { port: number }).port;
  owner = sessionCookie(await mutate(t.app, "auth.register", { email: "exports@http.test", password: "a long enough password", name: "E" }));
  expect((await mutate(t.app, "tenants.create", { name: "Acme", slug: "dl-acme" }, { cookie: owner })).statusCode).toBe(200);
  expect((await mutate(t.app, "tenants.create", { name: "Other", slug: "dl-other" }, { cookie: owner })).statusCode).toBe(200);
  for (let i = 0; i < 40; i++) {
    const res = await mutate(t.app, "calls.create", { direction: "inbound", customerPhone: `+1555010${String(i).padStart(4, "0")}` }, { host, cookie: owner });
    expect(res.statusCode).toBe(200);
  }
  const env = loadEnv({ LOG_LEVEL: "silent", EXPORTS_DIR: dir, ...(t.db.appUrl ? { DATABASE_URL: t.db.appUrl } : {}) });
  worker = await startWorker(env, t.db.app, pino({ level: "silent" }));
}, 60_000);
afterAll(async () => {
  await worker?.stop(2000);
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("GET /exports/<id>/download", () => {
  it("streams the gzip file with Content-Length and Accept-Ranges, as an attachment; audited as the link's taker", async () => {
    const e = await readyExport(["calls"], "ndjson");
    const url = await linkTo(e.id);
    expect(url).toMatch(new RegExp(`^/exports/${e.id}/download\\?token=`));
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/gzip");
    expect(res.headers["content-length"]).toBe(String(e.bytes));
    expect(res.headers["accept-ranges"]).toBe("bytes");
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="dl-acme-export-\d{4}-\d\d-\d\d\.ndjson\.gz"$/);
    expect(res.headers["cache-control"]).toContain("no-store");
    const lines = gunzipSync(res.body).toString("utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(40);
    expect(JSON.parse(lines[0]!)).toMatchObject({ kind: "calls", direction: "inbound" });

    const [tenant] = await t.db.owner.db.select().from(tenants).where(eq(tenants.slug, "dl-acme"));
    const audit = await t.db.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant!.id), eq(auditLog.resourceId, e.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["exports.create", "exports.download", "exports.downloaded"]);
    expect(audit.find((a) => a.action === "exports.downloaded")).toMatchObject({ actorLabel: "exports@http.test", result: "success", ip: "127.0.0.1" });
  });

  it("answers one Range with 206 and Content-Range; an unsatisfiable one 416; several ranges the whole file", async () => {
    const e = await readyExport(["calls"], "csv");
    const url = await linkTo(e.id);
    const whole = (await get(url)).body;
    expect(whole.length).toBe(e.bytes);
    const part = await get(url, { range: "bytes=10-29" });
    expect(part.status).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes 10-29/${e.bytes}`);
    expect(part.headers["content-length"]).toBe("20");
    expect(part.body).toEqual(whole.subarray(10, 30));
    const tail = await get(url, { range: "bytes=-7" });
    expect(tail.status).toBe(206);
    expect(tail.body).toEqual(whole.subarray(whole.length - 7));
    const open = await get(url, { range: `bytes=${e.bytes - 3}-` });
    expect(open.body).toEqual(whole.subarray(e.bytes - 3));
    const past = await get(url, { range: `bytes=${e.bytes}-` });
    expect(past.status).toBe(416);
    expect(past.headers["content-range"]).toBe(`bytes */${e.bytes}`);
    const several = await get(url, { range: "bytes=0-1,5-6" });
    expect(several.status).toBe(200);
    expect(several.body).toEqual(whole);
    // Resumed from a range, the file is whole again.
    expect(Buffer.concat([whole.subarray(0, 100), (await get(url, { range: "bytes=100-" })).body])).toEqual(whole);
  });

  it("404 on another tenant's host, with a tampered token or another id, without a token; 410 once the file expired", async () => {
    const e = await readyExport(["calls"], "ndjson");
    const url = await linkTo(e.id);
    const token = url.split("token=")[1]!;
    const other = await get(url, { host: "dl-other.localhost:3000" });
    expect(other.status).toBe(404);
    const bare = await get(url, { host: "localhost:3000" });
    expect(bare.status).toBe(404);
    const tampered = await get(url.replace(/.$/, (c) => (c === "A" ? "B" : "A")));
    expect(tampered.status).toBe(404);
    expect((await get(`/exports/${crypto.randomUUID()}/download?token=${token}`)).status).toBe(404);
    expect((await get(`/exports/${e.id}/download`)).status).toBe(404);
    expect((await get(`/exports/not-a-uuid/download?token=${token}`)).status).toBe(404);
    for (const r of [other, bare, tampered]) expect(r.body.toString()).toBe("Not found");

    await t.db.owner.db.update(dataExports).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(dataExports.id, e.id));
    const gone = await get(url);
    expect(gone.status).toBe(410);
    expectNoLeaks(gone.body.toString());
  });

  it("parseRange reads one bytes= range and nothing else", () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange("bytes=0-9", 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=90-200", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=-10", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=-500", 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=-0", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=9-3", 100)).toBeNull();
    expect(parseRange("bytes=-", 100)).toBeNull();
    expect(parseRange("items=0-9", 100)).toBeNull();
    expect(parseRange("bytes=0-1,4-5", 100)).toBeNull();
  });
});

describe("GET /audit/export.csv", () => {
  it("streams the filtered log as CSV on the tenant's host, audited; another host 404", async () => {
    const res = await mutate(t.app, "audit.export", { action: "calls.create" }, { host, cookie: owner });
    expect(res.statusCode, res.body).toBe(200);
    const url = res.json().result.data.url as string;
    expect((await get(url, { host: "dl-other.localhost:3000" })).status).toBe(404);
    const csv = await get(url);
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toMatch(/^attachment; filename="dl-acme-audit-\d{4}-\d\d-\d\d\.csv"$/);
    const lines = csv.body.toString("utf8").trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,actorType,actorId,actorLabel,action,resourceType,resourceId,ip,userAgent,result,reason");
    expect(lines).toHaveLength(41);
    expect(lines.slice(1).every((l) => l.includes(",calls.create,call,"))).toBe(true);
    const [tenant] = await t.db.owner.db.select().from(tenants).where(eq(tenants.slug, "dl-acme"));
    const audit = await t.db.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant!.id), eq(auditLog.action, "audit.downloaded")));
    expect(audit).toHaveLength(1);
  });
});

describe("EXPORTS_* settings", () => {
  it("EXPORTS_DIR by default; an S3-compatible bucket when EXPORTS_S3_BUCKET is set; bad values refused by name", () => {
    expect(exportStoreOf(loadEnv({ EXPORTS_DIR: "/var/lib/switchboard/exports" })).description).toBe("directory /var/lib/switchboard/exports");
    expect(exportStoreOf(loadEnv({})).description).toBe("directory .data/exports");
    const s3 = loadEnv({ EXPORTS_S3_BUCKET: "sb-exports", EXPORTS_S3_ENDPOINT: "https://minio.internal:9000", EXPORTS_S3_ACCESS_KEY_ID: "id", EXPORTS_S3_SECRET_ACCESS_KEY: "secret" });
    expect(exportStoreOf(s3).description).toBe("S3 bucket sb-exports at minio.internal:9000");
    expect(exportStoreOf(loadEnv({ EXPORTS_S3_BUCKET: "sb-exports" })).description).toBe("S3 bucket sb-exports");
    expect(() => loadEnv({ EXPORTS_S3_BUCKET: "Not A Bucket" })).toThrow(/EXPORTS_S3_BUCKET/);
    expect(() => loadEnv({ EXPORTS_S3_BUCKET: "b-1", EXPORTS_S3_ENDPOINT: "ftp://x" })).toThrow(/EXPORTS_S3_ENDPOINT/);
    expect(() => loadEnv({ EXPORTS_S3_BUCKET: "b-1", EXPORTS_S3_ENDPOINT: "https://user:pw@minio:9000" })).toThrow(/EXPORTS_S3_ENDPOINT/);
    expect(() => loadEnv({ EXPORTS_S3_BUCKET: "b-1", EXPORTS_S3_ACCESS_KEY_ID: "id" })).toThrow(/set both or neither/);
    // Several CSV kinds spool beside the files (a volume with room), or in the temp dir with a bucket.
    expect(exportSpoolDirOf(loadEnv({ EXPORTS_DIR: "/var/lib/switchboard/exports" }))).toBe("/var/lib/switchboard/exports/.spool");
    expect(exportSpoolDirOf(s3)).toBe(tmpdir());
  });
});
