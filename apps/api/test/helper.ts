/** Builds the real Fastify app on a fresh test database; requests go through `inject` (full HTTP pipeline). */
import type { LightMyRequestResponse } from "fastify";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { buildApp, type App } from "../src/app";
import { loadEnv } from "../src/env";

export interface TestApp {
  app: App;
  db: TestDatabase;
  close(): Promise<void>;
}

export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const app = await buildApp({ env: loadEnv({ LOG_LEVEL: "silent", ...env }), db: db.app, logger: false });
  await app.ready();
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** The session cookie pair (`name=value`) from a response, for the next request's Cookie header. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((c) => c.name.endsWith("sb_session"));
  if (!c) throw new Error(`no session cookie in ${res.statusCode} ${res.body}`);
  return `${c.name}=${c.value}`;
}

export const json = { "content-type": "application/json" };

/** POST a mutation the way a browser on `host` would. */
export function mutate(app: App, path: string, body: unknown, opts: { host?: string; cookie?: string; headers?: Record<string, string> } = {}) {
  const host = opts.host ?? "localhost:3000";
  return app.inject({
    method: "POST",
    url: `/trpc/${path}`,
    headers: { ...json, host, origin: `http://${host}`, ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers },
    payload: JSON.stringify(body),
  });
}

export function query(app: App, path: string, input: unknown, opts: { host?: string; cookie?: string; headers?: Record<string, string> } = {}) {
  const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return app.inject({
    method: "GET",
    url: `/trpc/${path}${qs}`,
    headers: { host: opts.host ?? "localhost:3000", ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers },
  });
}

/** No stack traces, SQL or file paths in any response body. */
export function expectNoLeaks(body: string) {
  if (/\bat .+\(.+:\d+:\d+\)|node_modules|\/src\/|select .* from|insert into|"stack"/i.test(body)) {
    throw new Error(`response leaks internals: ${body.slice(0, 300)}`);
  }
}
