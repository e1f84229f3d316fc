// Managed PostgreSQL (RDS, Cloud SQL, CloudNativePG): the migrations run as an ordinary role, not a superuser. FORCE ROW
// LEVEL SECURITY then binds the owner too, so the SECURITY DEFINER functions that answer tenant ids across tenants
// (clean-up, webhook dispatch and prune) see nothing unless the owner has policies of its own (migration 0021). This
// migrates a fresh database as such a role and checks each function finds the rows it exists to find.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManagedOwnerDatabase, type ManagedOwnerDatabase } from "./managed-owner-database";

const adminUrl = process.env.SB_TEST_DATABASE_URL;

describe.runIf(adminUrl)("migrations run by a non-superuser owner (managed databases)", () => {
  let managed: ManagedOwnerDatabase;
  let superuserHere: ManagedOwnerDatabase["superuser"];
  let suffix: string;
  beforeAll(async () => {
    managed = await createManagedOwnerDatabase(adminUrl!, "managed");
    ({ superuser: superuserHere, suffix } = managed);
  }, 120_000);
  afterAll(() => managed?.close());

  it("the owner is an ordinary role and the tables force row-level security on it", async () => {
    const [owner] = await superuserHere`select r.rolsuper, r.rolbypassrls from pg_roles r join pg_class c on c.relowner = r.oid where c.relname = 'invitations'`;
    expect(owner).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it("the clean-up, dispatch and prune functions find other tenants' rows when called by the app role", async () => {
    const tenant = crypto.randomUUID();
    const endpoint = crypto.randomUUID();
    const event = crypto.randomUUID();
    await superuserHere.begin(async (tx) => {
      await tx`insert into tenants (id, slug, name) values (${tenant}, ${`managed-${suffix}`}, 'Managed')`;
      await tx`insert into invitations (tenant_id, email, role, token_hash, expires_at)
        values (${tenant}, 'late@example.com', 'agent', ${randomBytes(16).toString("hex")}, now() - interval '90 days')`;
      await tx`insert into webhook_endpoints (tenant_id, id, url, events, secret_ciphertext)
        values (${tenant}, ${endpoint}, 'https://hooks.example.com/in', '{ping}', 'sealed')`;
      await tx`insert into webhook_events (tenant_id, id, type, data, created_at) values (${tenant}, ${event}, 'ping', '{}', now() - interval '60 days')`;
      await tx`insert into webhook_deliveries (tenant_id, webhook_id, event_id, event_type) values (${tenant}, ${endpoint}, ${event}, 'ping')`;
    });
    const app = await superuserHere.reserve();
    try {
      await app`set role switchboard_app`;
      const expired = await app`select * from tenants_with_expired_records(now(), now() - interval '30 days') as t(id)`;
      expect(expired.map((r) => r.id)).toContain(tenant);
      const old = await app`select * from tenants_with_old_webhook_events(now() - interval '30 days') as t(id)`;
      expect(old.map((r) => r.id)).toEqual([tenant]);
      const claimed = await app`select * from claim_webhook_deliveries(10, 30)`;
      expect(claimed.map((r) => r.tenant_id)).toEqual([tenant]);
      // The app role itself still sees nothing outside a tenant's scope.
      expect(await app`select id from invitations`).toEqual([]);
      expect(await app`select id from webhook_deliveries`).toEqual([]);
    } finally {
      await app`reset role`;
      app.release();
    }
  });

  it("the webhook queue triggers (run as the owner) hand the first place on when the app role delivers the first", async () => {
    const tenant = crypto.randomUUID();
    const endpoint = crypto.randomUUID();
    const key = crypto.randomUUID();
    await superuserHere.begin(async (tx) => {
      await tx`insert into tenants (id, slug, name) values (${tenant}, ${`queue-${suffix}`}, 'Queue')`;
      await tx`insert into webhook_endpoints (tenant_id, id, url, events, secret_ciphertext)
        values (${tenant}, ${endpoint}, 'https://hooks.example.com/in', '{message.created}', 'sealed')`;
    });
    const app = await superuserHere.reserve();
    try {
      await app`set role switchboard_app`;
      await app`begin`;
      await app`select set_config('app.tenant_id', ${tenant}, true)`;
      for (let n = 0; n < 2; n++) {
        await app`with e as (insert into webhook_events (tenant_id, type, data) values (${tenant}, 'message.created', '{}') returning id)
          insert into webhook_deliveries (tenant_id, webhook_id, event_id, event_type, order_key) select ${tenant}, ${endpoint}, e.id, 'message.created', ${key} from e`;
      }
      const before = (await app`select ready from webhook_deliveries order by seq`).map((r) => r.ready as boolean);
      await app`update webhook_deliveries set status = 'delivered' where seq = (select min(seq) from webhook_deliveries)`;
      const after = (await app`select ready from webhook_deliveries where status = 'pending'`).map((r) => r.ready as boolean);
      await app`commit`;
      const flags = { before, after };
      expect(flags).toEqual({ before: [true, false], after: [true] });
    } finally {
      await app`reset role`;
      app.release();
    }
  });
});