// The export stores: the directory (atomic rename, ranges) and an S3-compatible bucket, spoken to by the real AWS SDK
// against a local fake of the S3 calls the store makes (path-style PutObject, multipart upload, HeadObject, ranged
// GetObject, DeleteObject), so what goes over the wire is the SDK's own.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directoryStore, type ExportStore, exportKey, s3Store } from "../src/index";

/** Buffers are compared with equals(): toEqual walks megabytes byte by byte. */
async function bytesOf(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** In-memory S3: objects by path (`/bucket/key`), multipart uploads by id; `failParts` fails every UploadPart. */
function fakeS3() {
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, Map<number, Buffer>>();
  const calls: string[] = [];
  let failParts = false;
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url!, "http://s3.local");
    const path = decodeURIComponent(url.pathname);
    const body = await bytesOf(req);
    const q = url.searchParams;
    const xml = (status: number, s: string) => res.writeHead(status, { "content-type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?>${s}`);
    const missing = () => xml(404, "<Error><Code>NoSuchKey</Code><Message>missing</Message></Error>");
    if (req.method === "POST" && q.has("uploads")) {
      const id = randomUUID();
      uploads.set(id, new Map());
      calls.push("CreateMultipartUpload");
      return xml(200, `<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
    }
    if (req.method === "PUT" && q.has("uploadId")) {
      calls.push("UploadPart");
      if (failParts) return xml(500, "<Error><Code>InternalError</Code><Message>no</Message></Error>");
      uploads.get(q.get("uploadId")!)!.set(Number(q.get("partNumber")), body);
      return res.writeHead(200, { etag: `"p${q.get("partNumber")}"` }).end();
    }
    if (req.method === "POST" && q.has("uploadId")) {
      calls.push("CompleteMultipartUpload");
      const parts = uploads.get(q.get("uploadId")!)!;
      objects.set(path, Buffer.concat([...parts.keys()].sort((a, b) => a - b).map((n) => parts.get(n)!)));
      uploads.delete(q.get("uploadId")!);
      return xml(200, `<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><ETag>"done"</ETag></CompleteMultipartUploadResult>`);
    }
    if (req.method === "DELETE" && q.has("uploadId")) {
      calls.push("AbortMultipartUpload");
      uploads.delete(q.get("uploadId")!);
      return res.writeHead(204).end();
    }
    if (req.method === "PUT") {
      calls.push("PutObject");
      objects.set(path, body);
      return res.writeHead(200, { etag: '"x"' }).end();
    }
    const object = objects.get(path);
    if (req.method === "HEAD") {
      calls.push("HeadObject");
      return object ? res.writeHead(200, { "content-length": object.length }).end() : res.writeHead(404).end();
    }
    if (req.method === "GET") {
      calls.push(`GetObject${req.headers.range ? ` ${req.headers.range}` : ""}`);
      if (!object) return missing();
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
      if (!m) return res.writeHead(200, { "content-length": object.length }).end(object);
      const part = object.subarray(Number(m[1]), Number(m[2]) + 1);
      return res.writeHead(206, { "content-length": part.length, "content-range": `bytes ${m[1]}-${m[2]}/${object.length}` }).end(part);
    }
    if (req.method === "DELETE") {
      calls.push("DeleteObject");
      objects.delete(path);
      return res.writeHead(204).end();
    }
    res.writeHead(400).end();
  };
  const server = http.createServer((req, res) => void handle(req, res).catch(() => res.writeHead(500).end()));
  return {
    objects,
    uploads,
    calls,
    failParts: (on: boolean) => (failParts = on),
    listen: () => new Promise<number>((r) => server.listen(0, "127.0.0.1", () => r((server.address() as { port: number }).port))),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const key = () => exportKey(randomUUID(), randomUUID(), "ndjson.gz");

async function behavesAsAStore(store: ExportStore) {
  const k = key();
  expect(await store.open(k)).toBeNull();
  const data = randomBytes(300_000);
  await store.write(k, Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]));
  const file = (await store.open(k))!;
  expect(file.size).toBe(data.length);
  expect((await bytesOf(file.read())).equals(data)).toBe(true);
  expect((await bytesOf(file.read({ start: 1000, end: 1999 }))).equals(data.subarray(1000, 2000))).toBe(true);
  await store.remove(k);
  expect(await store.open(k)).toBeNull();
  await store.remove(k); // a missing file is not an error
  await expect(store.open("../../etc/passwd")).rejects.toThrow(/not an export key/);
}

describe("directoryStore", () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), "sb-store-"))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes, opens, reads ranges, removes", () => behavesAsAStore(directoryStore(dir)));

  it("a failed write leaves no file and no .part behind", async () => {
    const store = directoryStore(dir);
    const k = key();
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1000));
        this.destroy(new Error("the source broke"));
      },
    });
    await expect(store.write(k, failing)).rejects.toThrow("the source broke");
    expect(await store.open(k)).toBeNull();
    expect((await readdir(join(dir, k.split("/")[0]!))).filter((f) => f.includes(".part-"))).toEqual([]);
  });
});

describe("s3Store (the AWS SDK against a local S3)", () => {
  const s3 = fakeS3();
  let store: ExportStore;
  beforeAll(async () => {
    const port = await s3.listen();
    store = s3Store({ bucket: "exports", region: "us-east-1", endpoint: `http://127.0.0.1:${port}`, accessKeyId: "test", secretAccessKey: "test-secret" });
  });
  afterAll(() => s3.close());

  it("writes (one PutObject), opens, reads ranges, removes; path-style keys in the bucket", async () => {
    await behavesAsAStore(store);
    expect(s3.calls).toContain("PutObject");
    expect(s3.calls.some((c) => c.startsWith("GetObject bytes=1000-1999"))).toBe(true);
    expect(store.description).toBe("S3 bucket exports at 127.0.0.1:" + store.description.split(":").at(-1));
  });

  it("a file larger than a part goes up as a multipart upload and comes back whole", async () => {
    const k = key();
    const data = randomBytes(9 * 1024 * 1024);
    s3.calls.length = 0;
    await store.write(k, Readable.from((function* () {
      for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024);
    })()));
    expect(s3.calls.filter((c) => c === "UploadPart")).toHaveLength(2);
    expect(s3.calls).toContain("CompleteMultipartUpload");
    expect(s3.objects.get(`/exports/${k}`)!.equals(data)).toBe(true);
    expect((await bytesOf((await store.open(k))!.read({ start: data.length - 10, end: data.length - 1 }))).equals(data.subarray(data.length - 10))).toBe(true);
  });

  it("a failed upload is aborted: no object, no upload left", async () => {
    const k = key();
    s3.failParts(true);
    try {
      await expect(store.write(k, Readable.from([randomBytes(9 * 1024 * 1024)]))).rejects.toThrow();
    } finally {
      s3.failParts(false);
    }
    expect(await store.open(k)).toBeNull();
    expect(s3.uploads.size).toBe(0);
    expect(s3.calls).toContain("AbortMultipartUpload");
  });

  it("a read of a missing object fails the stream (the route has opened it first)", async () => {
    const k = key();
    await store.write(k, Readable.from([Buffer.from("x")]));
    const opened = (await store.open(k))!;
    await store.remove(k);
    await expect(text(opened.read())).rejects.toThrow();
  });
});
