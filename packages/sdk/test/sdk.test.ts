// The SDK against a real running server (the Fastify app listening on a port, a test database), from Node.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnyTRPCProcedure, inferProcedureInput, inferTransformedProcedureOutput } from "@trpc/server";
import type { AppRouter as ServerRouter } from "@switchboard/trpc";
import { createClient, pages, paginate, TRPCClientError, type AppRouter } from "../src/index";
import { startApi } from "./api-server";

// Compile-time (`pnpm typecheck`): every procedure of the server has the same input and output in the SDK's
// flattened AppRouter (src/contract.ts), both ways assignable. A mismatch names the procedure's path here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type ServerRoot = ServerRouter["_def"]["_config"]["$types"];
type ClientRoot = AppRouter["_def"]["_config"]["$types"];
type Mismatches<S, C, Path extends string = ""> = {
  [K in keyof S & string]: S[K] extends AnyTRPCProcedure
    ? K extends keyof C
      ? C[K] extends AnyTRPCProcedure
        ? Same<inferProcedureInput<S[K]>, inferProcedureInput<C[K]>> extends true
          ? Same<inferTransformedProcedureOutput<ServerRoot, S[K]>, inferTransformedProcedureOutput<ClientRoot, C[K]>> extends true
            ? S[K]["_def"]["type"] extends C[K]["_def"]["type"]
              ? never
              : `${Path}${K} (kind)`
            : `${Path}${K} (output)`
          : `${Path}${K} (input)`
        : `${Path}${K} (missing)`
      : `${Path}${K} (missing)`
    : Mismatches<S[K], K extends keyof C ? C[K] : never, `${Path}${K}.`>;
}[keyof S & string];
type Drift = Mismatches<ServerRouter["_def"]["record"], AppRouter["_def"]["record"]>;
const contractMatchesServer: [Drift] extends [never] ? true : Drift = true;
void contractMatchesServer;

let api: Awaited<ReturnType<typeof startApi>>;
let baseUrl: string;
let apiKey: string;
let otherKey: string;

beforeAll(async () => {
  api = await startApi(["sdk-co", "sdk-other"]);
  ({ baseUrl } = api);
  apiKey = api.keys["sdk-co"]!;
  otherKey = api.keys["sdk-other"]!;
});
afterAll(async () => {
  await api?.close();
});

describe("createClient", () => {
  it("queries and mutates with an API key, typed from AppRouter", async () => {
    const client = createClient({ baseUrl, tenant: "sdk-co", apiKey });
    const tenant = await client.tenant.current.query();
    expect(tenant.slug).toBe("sdk-co");
    const lead = await client.leads.create.mutate({ name: "New Lead", email: "new.lead@sdk.test" });
    expect(lead.name).toBe("New Lead");
    const { items } = await client.audit.list.query({ action: "leads.create" });
    expect(items[0]?.actor).toMatchObject({ type: "apiKey", label: "SDK" });
    // A key works data, never access.
    await expect(client.members.add.mutate({ email: "new.hire@sdk.test", role: "agent" })).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
  });

  it("batches (more calls than the server's batch limit are split)", async () => {
    const client = createClient({ baseUrl, apiKey });
    const results = await Promise.all(Array.from({ length: 15 }, () => client.tenant.current.query()));
    expect(new Set(results.map((r) => r.slug))).toEqual(new Set(["sdk-co"]));
  });

  it("paginates a list: every item once, across pages, and stops when the loop does", async () => {
    const client = createClient({ baseUrl, apiKey });
    for (let i = 0; i < 7; i++) await client.leads.create.mutate({ name: `Paged ${i}`, source: "paginate" });
    const all = (await client.leads.list.query({ limit: 100 })).items.map((l) => l.id);
    const seen: string[] = [];
    for await (const lead of paginate(client.leads.list, { limit: 3 })) seen.push(lead.id);
    expect(seen).toEqual(all);
    const sizes: number[] = [];
    for await (const page of pages(client.leads.list, { limit: 3 })) sizes.push(page.items.length);
    expect(sizes).toEqual([3, 3, 2]);
    let requests = 0;
    const counting = createClient({ baseUrl, apiKey, fetch: (input, init) => (requests++, fetch(input, init)) });
    for await (const lead of paginate(counting.leads.list, { limit: 3, status: "new" })) if (lead) break;
    expect(requests).toBe(1);
  });

  it("surfaces the contract's error codes", async () => {
    const wrongTenant = createClient({ baseUrl, tenant: "sdk-co", apiKey: otherKey });
    const err = await wrongTenant.tenant.current.query().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect((err as TRPCClientError<never>).data).toMatchObject({ code: "FORBIDDEN", httpStatus: 403 });
    const noKey = createClient({ baseUrl, tenant: "sdk-co" });
    await expect(noKey.members.list.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    const bad = createClient({ baseUrl, apiKey });
    await expect(bad.leads.create.mutate({ name: "" })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" } });
  });
});
