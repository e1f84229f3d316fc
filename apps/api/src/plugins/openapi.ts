/**
 * The API reference. `GET /openapi.json`: the OpenAPI 3.1 document of every procedure, generated from the router
 * (@switchboard/trpc openApiDocument) once per process. `GET /docs`: that document rendered by Scalar's API
 * reference (@scalar/api-reference), served from this server: no CDN, no telemetry.
 *
 * /docs is the one page with its own Content-Security-Policy. Its one loosening of the app's (app.ts): `style-src`
 * admits inline styles, because Scalar's components write <style> elements and style attributes at run time
 * (measured in Chromium: with a nonce for its main stylesheet, 2 more elements and ~20 attributes were still
 * blocked). Scripts stay 'self' only — no inline script, no eval (zod's feature probe for `Function` is refused and
 * falls back) — connections 'self' only (the document and "Test Request" go to this origin), and images and fonts
 * this origin or data: only (the web fonts Scalar's stylesheet names on fonts.scalar.com are refused: system fonts).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { appRouter, openApiDocument } from "@switchboard/trpc";

/** A body kept as is and gzip-compressed, built once: the document (~330 KB) and Scalar's bundle (~4.9 MB). */
interface Compressed {
  raw: Buffer;
  gzipped: Buffer;
  /** A digest of the body: the bundle's URL carries it, so browsers cache it for good and a new version is a new URL. */
  version: string;
}
const compressed = async (raw: Buffer): Promise<Compressed> => ({
  raw,
  gzipped: await promisify(gzip)(raw),
  version: createHash("sha256").update(raw).digest("base64url").slice(0, 16),
});

function sendCompressed(request: FastifyRequest, reply: FastifyReply, body: Compressed) {
  reply.header("vary", "accept-encoding");
  if (/\bgzip\b/.test(request.headers["accept-encoding"] ?? "")) return reply.header("content-encoding", "gzip").send(body.gzipped);
  return reply.send(body.raw);
}

/**
 * Scalar's self-contained browser bundle: beside the API bundle (build.mjs copies it to dist/scalar/), else in
 * node_modules when running from source.
 */
function scalarBundlePath(): string | null {
  const copied = join(dirname(fileURLToPath(import.meta.url)), "scalar", "standalone.js");
  if (existsSync(copied)) return copied;
  try {
    // The package exports no path to its browser build: it sits at dist/browser/ beside its main entry (dist/index.js).
    const main = createRequire(import.meta.url).resolve("@scalar/api-reference");
    const standalone = join(dirname(main), "browser", "standalone.js");
    return existsSync(standalone) ? standalone : null;
  } catch {
    return null;
  }
}

/** Scalar's options (https://scalar.com configuration): nothing loaded from elsewhere, nothing sent elsewhere. */
const scalarConfiguration = {
  url: "/openapi.json",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: "never",
  hideModels: true,
  defaultOpenAllTags: false,
  metaData: { title: "Switchboard API reference" },
};

const page = (bundleVersion: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Switchboard API reference</title>
  </head>
  <body>
    <noscript>The API reference needs JavaScript. The document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript>
    <div id="api-reference"></div>
    <script src="/docs/scalar.js?v=${bundleVersion}"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

const initScript = `Scalar.createApiReference("#api-reference", ${JSON.stringify(scalarConfiguration)});\n`;

export default fp<{ secure: boolean }>(async function openapi(app, { secure }) {
  const sessionCookieName = app.auth.blankCookie().name;
  let document: Promise<Compressed> | null = null;
  const documentOnce = () =>
    (document ??= openApiDocument(appRouter, { sessionCookieName }).then((doc) => compressed(Buffer.from(JSON.stringify(doc)))));

  app.get("/openapi.json", async (request, reply) => {
    const body = await documentOnce();
    reply
      .type("application/json; charset=utf-8")
      .header("cache-control", "no-cache")
      // Public, credential-free: tools on other origins (code generators, API clients) may read it.
      .header("access-control-allow-origin", "*");
    return sendCompressed(request, reply, body);
  });

  const bundlePath = scalarBundlePath();
  if (!bundlePath) {
    app.log.warn("@scalar/api-reference's browser bundle not found; /docs is not served (the document is at /openapi.json)");
    return;
  }
  let bundle: Promise<Compressed> | null = null;
  const bundleOnce = () => (bundle ??= readFile(bundlePath).then(compressed));

  app.get(
    "/docs",
    {
      helmet: {
        contentSecurityPolicy: {
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            styleSrc: ["'self'", "'unsafe-inline'"],
            imgSrc: ["'self'", "data:"],
            fontSrc: ["'self'", "data:"],
            connectSrc: ["'self'"],
            workerSrc: ["'self'", "blob:"],
            frameAncestors: ["'none'"],
            upgradeInsecureRequests: secure ? [] : null,
          },
        },
      },
    },
    async (_request, reply) => {
      const { version } = await bundleOnce();
      return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(page(version));
    },
  );
  app.get("/docs/init.js", async (_request, reply) =>
    reply.type("text/javascript; charset=utf-8").header("cache-control", "no-cache").send(initScript),
  );
  app.get("/docs/scalar.js", async (request, reply) => {
    const body = await bundleOnce();
    reply.type("text/javascript; charset=utf-8").header("cache-control", "public, max-age=31536000, immutable");
    return sendCompressed(request, reply, body);
  });
});
