/**
 * GET /exports/<id>/download?token=… and GET /audit/export.csv?token=… on a tenant's host: the signed links that
 * `exports.download` and `audit.export` hand out (contract v2: a path on the same host, no session needed, 15
 * minutes). The token is the authority (routers/exports/exports.files.ts checks it against the host's tenant).
 *
 * An export file streams from the store with `Content-Length`, `Accept-Ranges: bytes`, and one `Range` answered 206
 * (an unsatisfiable one 416; several ranges get the whole file, 200). The audit log's CSV streams from a cursor.
 * Answers: 404 for anything unknown or not signed for this host (one answer, no oracle), 410 for a genuine link whose
 * 15 minutes or whose file's 7 days are over. Each download is audited in the tenant's log before its bytes flow.
 * The token never reaches the logs: the request log line carries the route, not the URL.
 *
 * Encapsulated (not fastify-plugin): the plain-text answers apply to these routes only.
 */
import { PassThrough } from "node:stream";
import { once } from "node:events";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ExportStore } from "@switchboard/jobs";
import { openAuditExport, openExportFile, recordLinkDownload, writeAuditCsv } from "@switchboard/trpc";

export interface ExportsOptions {
  store: ExportStore;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function text(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).header("cache-control", "no-store").type("text/plain; charset=utf-8").send(message);
}

/** One `bytes=` range within `size`: null when absent, malformed or several (the whole file), "unsatisfiable" past the end. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== "" && Number(m[2]) < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end };
}

function tokenOf(request: FastifyRequest): string | null {
  const token = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof token === "string" && token.length > 0 && token.length <= 6000 ? token : null;
}

const attachment = (filename: string) => `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`;

export default async function exportRoutes(app: FastifyInstance, { store }: ExportsOptions) {
  const linkRequest = (request: FastifyRequest, token: string) => ({
    db: app.db,
    secrets: app.auth.secrets,
    slug: request.tenantSlug,
    token,
    ip: request.ip,
    userAgent: request.headers["user-agent"]?.slice(0, 512) ?? null,
  });

  app.get<{ Params: { id: string } }>("/exports/:id/download", async (request, reply) => {
    const token = tokenOf(request);
    if (!token || !uuidPattern.test(request.params.id)) return text(reply, 404, "Not found");
    const req = linkRequest(request, token);
    const found = await openExportFile({ ...req, exportId: request.params.id });
    if (found.kind === "not-found") return text(reply, 404, "Not found");
    if (found.kind === "gone") return text(reply, 410, "This download link has expired");
    const file = await store.open(found.storageKey);
    if (!file) return text(reply, 410, "This export has expired");
    const range = parseRange(request.headers.range, file.size);
    if (range === "unsatisfiable") {
      return reply.code(416).header("content-range", `bytes */${file.size}`).header("cache-control", "no-store").send();
    }
    await recordLinkDownload(app.db, req, {
      tenantId: found.tenantId,
      userId: found.userId,
      action: "exports.downloaded",
      resourceType: "export",
      resourceId: found.exportId,
    });
    reply
      .header("content-type", "application/gzip")
      .header("content-disposition", attachment(found.filename))
      .header("accept-ranges", "bytes")
      .header("cache-control", "private, no-store")
      .header("referrer-policy", "no-referrer");
    if (range) {
      return reply
        .code(206)
        .header("content-range", `bytes ${range.start}-${range.end}/${file.size}`)
        .header("content-length", String(range.end - range.start + 1))
        .send(file.read(range));
    }
    return reply.code(200).header("content-length", String(file.size)).send(file.read());
  });

  app.get("/audit/export.csv", async (request, reply) => {
    const token = tokenOf(request);
    if (!token) return text(reply, 404, "Not found");
    const req = linkRequest(request, token);
    const found = await openAuditExport(req);
    if (found.kind === "not-found") return text(reply, 404, "Not found");
    if (found.kind === "gone") return text(reply, 410, "This download link has expired");
    await recordLinkDownload(app.db, req, {
      tenantId: found.claims.tenantId,
      userId: found.claims.userId,
      action: "audit.downloaded",
      resourceType: "audit",
      resourceId: null,
    });
    const body = new PassThrough();
    // A client that goes away ends the stream: the writer stops (its transaction rolls back) instead of waiting.
    const put = async (chunk: string) => {
      if (body.destroyed) throw new Error("the client went away");
      if (body.write(chunk)) return;
      const done = new AbortController();
      try {
        await Promise.race([
          once(body, "drain", { signal: done.signal }),
          once(body, "close", { signal: done.signal }).then(() => {
            throw new Error("the client went away");
          }),
        ]);
      } finally {
        done.abort();
      }
    };
    writeAuditCsv(app.db, found.claims, put).then(
      () => body.end(),
      (err: Error) => {
        if (!body.destroyed) request.log.error({ err }, "audit CSV stream failed");
        body.destroy(err);
      },
    );
    return reply
      .code(200)
      .header("content-type", "text/csv; charset=utf-8")
      .header("content-disposition", attachment(found.filename))
      .header("cache-control", "private, no-store")
      .header("referrer-policy", "no-referrer")
      .send(body);
  });
}
