// The real API for the SDK's tests: the Fastify app listening on a random port against a test database, with one
// tenant (`slug`) and an admin API key of it, set up over plain JSON HTTP as any language would do it.
import { buildApp, loadEnv } from "@switchboard/api";
import { createTestDatabase } from "@switchboard/db/testing";

/** Plain JSON over HTTP: POST /trpc/<path>. */
export async function call(baseUrl: string, path: string, input: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as { result: { data: Record<string, unknown> } }, cookie: res.headers.get("set-cookie") };
}

export async function startApi(tenants: string[]) {
  const db = await createTestDatabase();
  const app = await buildApp({ env: loadEnv({ LOG_LEVEL: "silent" }), db: db.app, logger: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const reg = await call(baseUrl, "auth.register", { email: "dev@sdk.test", password: "a long enough password", name: "Dev" });
  const cookie = reg.cookie!.split(";")[0]!;
  /** An admin key of each tenant, by slug. */
  const keys: Record<string, string> = {};
  for (const slug of tenants) {
    await call(baseUrl, "tenants.create", { name: slug, slug }, { cookie });
    keys[slug] = String((await call(baseUrl, "apiKeys.create", { name: "SDK", role: "admin" }, { cookie, "x-tenant": slug })).body.result.data.key);
  }
  return {
    baseUrl,
    keys,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
