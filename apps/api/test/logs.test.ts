// The log of a failed query never prints what the query carried (e-mails, password hashes): captured from the
// real logger settings while a registration fails inside PostgreSQL.
import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { buildApp, type App } from "../src/app";
import { loadEnv } from "../src/env";
import { errorSerializer, loggerOptions } from "../src/logging";
import { mutate, query, sessionCookie } from "./helper";

const email = "secret.person@leak.test";
let db: TestDatabase;
let app: App;
const lines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const env = loadEnv({ LOG_LEVEL: "info" });
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  app = await buildApp({ env, db: db.app, logger: loggerOptions(env, stream) });
  await app.ready();
  // The database refuses this one address: its INSERT fails with the row's values in the driver's error.
  await db.owner.db.execute(sql.raw(`alter table users add constraint users_not_the_leak_test check (email <> '${email}')`));
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe("logs of failed queries", () => {
  it("a registration failing in PostgreSQL is logged with code and constraint, without the e-mail, hash or SQL", async () => {
    const res = await mutate(app, "auth.register", { email, password: "a long enough password", name: "Leaky" });
    expect(res.statusCode).toBe(500);
    const failure = lines.find((l) => l.includes('"procedure failed"'));
    expect(failure, lines.join("")).toBeDefined();
    expect(failure).toContain("users_not_the_leak_test");
    expect(failure).toContain("23514");
    expect(failure).toContain("Failed query (query text and parameters not logged)");
    const all = lines.join("");
    expect(all).not.toContain(email);
    expect(all).not.toContain("$argon2");
    expect(all).not.toMatch(/insert into/i);
    expect(all).not.toMatch(/params:/);
    expect(all).not.toMatch(/Failing row/);
  });

  it("the serializer drops a query error's text, parameters and row detail, and keeps its causes' codes", () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_email_unique"'), {
      code: "23505",
      detail: `Key (email)=(${email}) already exists.`,
      constraint_name: "users_email_unique",
      table_name: "users",
    });
    const err = new DrizzleQueryError('insert into "users" ("email", "password_hash") values ($1, $2)', [email, "$argon2id$v=19$abc"], cause);
    const out = JSON.stringify(errorSerializer(err));
    expect(out).not.toContain(email);
    expect(out).not.toContain("argon2");
    expect(out).not.toMatch(/insert into/i);
    expect(JSON.parse(out)).toMatchObject({
      type: "DrizzleQueryError",
      message: "Failed query (query text and parameters not logged)",
      cause: { code: "23505", constraint: "users_email_unique", table: "users", message: expect.stringContaining("users_email_unique") },
    });
    expect(JSON.parse(out).stack).toMatch(/^DrizzleQueryError: Failed query \(query text and parameters not logged\)\n\s+at /);
  });
});

describe("request log lines", () => {
  it("every line of a request carries its reqId, the user's id and, once admitted, the tenant's id", async () => {
    const reg = await mutate(app, "auth.register", { email: "bound@logs.test", password: "a long enough password", name: "Bound" });
    const cookie = sessionCookie(reg);
    const userId = reg.json().result.data.user.id as string;
    const created = await mutate(app, "tenants.create", { name: "Logs Co", slug: "logs-co" }, { cookie });
    const tenantId = created.json().result.data.id as string;
    const res = await query(app, "tenant.current", undefined, { host: "logs-co.localhost:3000", cookie });
    expect(res.statusCode).toBe(200);
    const reqId = res.headers["x-request-id"];
    const mine = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.reqId === reqId);
    expect(mine.length).toBeGreaterThan(0);
    for (const line of mine) expect(line).toMatchObject({ reqId, userId, tenantId });
    expect(mine.find((l) => l.msg === "request")).toMatchObject({ path: "/trpc/tenant.current", status: 200, tenant: "logs-co" });
  });
});

