import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { apiAs } from "./api-client";
import {
  describeInBrowser,
  DEMO_PASSWORD,
  heading,
  onPhone,
  scrollsSideways,
  secondBrowser,
  signIn,
  signInOn,
  signUp,
  unique,
  url,
  useBrowser,
} from "./browser";
import { linkIn, waitForMail } from "./mail";
import { enableMfa } from "./totp";

/** Listed in PLATFORM_ADMIN_EMAILS by global-setup: a platform admin once the address is verified. */
const OPERATOR = "operator@platform.test";

/** Sign-up, a mailed link, a TOTP code (up to 30 s for the clock), two browsers. */
const JOURNEY_MS = 180_000;

describeInBrowser("platform console", () => {
  const page = useBrowser();

  it("a platform admin suspends a tenant and its member sees the suspended page; restored, the member is back; archived by its owner, restored within its grace", async () => {
    // A tenant of its own for this journey (new organisations start on the free tier), its owner signed in elsewhere.
    const slug = unique("closing");
    const name = `Closing ${slug.slice(-6)}`;
    const owner = await apiAs("owner@globex.test", "globex");
    await owner.mutate("tenants.create", { name, slug });
    const member = await secondBrowser();
    try {
      const m = member.page;
      await signInOn(m, slug, "owner@globex.test", name);

      // The operator signs up with the listed address and verifies it by mail: flagged, but powerless without MFA.
      const p = page();
      await p.goto(url(null, "/sign-up"));
      await signUp(p, { name: "Opal Operator", email: OPERATOR, password: "a long enough password" });
      await p.getByText("You are not a member of any tenant yet").waitFor();
      await p.goto(linkIn(await waitForMail(OPERATOR, /confirm your e-mail/i), "/verify-email"));
      await p.getByRole("status").filter({ hasText: "Your email address is verified." }).waitFor();
      await p.goto(url(null, "/platform"));
      await heading(p, "Platform console");
      await p.getByText("Platform powers need two-factor authentication").waitFor();
      expect(await p.getByRole("table").count()).toBe(0);
      await expectAccessible(p, "platform console without MFA");

      // With MFA on, the account menu leads to the console.
      const { app } = await enableMfa(p);
      await p.getByRole("button", { name: /^Account menu/ }).click();
      await p.getByRole("menuitem", { name: "Platform console" }).click();
      await heading(p, "Tenants");
      const tenants = p.getByRole("table", { name: "Tenants" });
      await tenants.getByRole("link", { name: "Acme Corporation" }).waitFor();
      await expectAccessible(p, "platform tenants");

      // Search and filters: the journey's tenant by part of its slug; a status it does not have finds nothing.
      const filters = p.getByRole("search", { name: "Tenant filters" });
      await filters.getByLabel("Search").fill(slug.slice(0, -2));
      const row = tenants.locator(`tr[data-tenant-slug="${slug}"]`);
      await row.waitFor();
      await expect.poll(() => tenants.locator("tbody tr").count()).toBe(1);
      expect(await row.getByRole("cell").nth(1).textContent()).toBe("Free");
      expect(await row.getByRole("cell").nth(2).textContent()).toBe("Active");
      expect(await row.getByRole("cell").nth(3).textContent()).toBe("1 / 5");
      expect(await row.getByRole("cell").nth(6).textContent()).toMatch(/\d( [KMG]?B)/);
      await filters.getByLabel("Status").selectOption("suspended");
      await p.getByText("No tenant matches these filters.").waitFor();
      await filters.getByLabel("Status").selectOption("");
      await filters.getByLabel("Tier").selectOption("free");
      await row.getByRole("link", { name }).click();

      // The detail page: a plan change first (audited), then the suspension with a reason for the members.
      await heading(p, name);
      const detail = p.url();
      await expectAccessible(p, "platform tenant detail");
      const plan = p.getByRole("form", { name: "Plan" });
      await plan.getByLabel("Tier").selectOption("enterprise");
      await plan.getByLabel("Call recording").selectOption("off");
      await plan.getByRole("button", { name: "Save plan" }).click();
      await plan.getByRole("status").filter({ hasText: "Saved" }).waitFor();
      await expect.poll(() => p.getByTestId("tenant-tier").textContent()).toBe("Enterprise");

      const reason = "Unpaid invoices since March. Write to billing@platform.test.";
      await p.getByRole("button", { name: "Suspend…" }).click();
      const dialog = p.getByRole("dialog", { name: `Suspend ${name}?` });
      await dialog.getByRole("button", { name: `Suspend ${name}` }).click();
      await dialog.getByText("Say why: the members read it.").waitFor();
      await dialog.getByLabel("Reason").fill(reason);
      await expectAccessible(p, "suspend dialog");
      await dialog.getByRole("button", { name: `Suspend ${name}` }).click();
      await p.getByRole("status").filter({ hasText: `${name} is suspended.` }).waitFor();
      expect(await p.getByTestId("suspended-reason").textContent()).toBe(reason);
      await p.getByRole("table", { name: "Tenant audit log" }).getByText("platform.tenants.suspend").waitFor();
      await expectAccessible(p, "suspended tenant, platform side");

      // The member's next page load: the suspended page with the reason, no sidebar; on a phone too.
      await m.reload();
      await heading(m, "This tenant is suspended");
      expect(await m.getByTestId("tenant-closed-reason").textContent()).toBe(reason);
      expect(await m.getByRole("navigation", { name: "Main" }).count()).toBe(0);
      await expectAccessible(m, "suspended page");
      await onPhone(m);
      expect(await scrollsSideways(m)).toBe(false);
      await expectAccessible(m, "suspended page on a phone");

      // The operator is let into the suspended tenant (its own address, a code again), under a notice.
      await p.goto(url(slug, "/sign-in"));
      await signIn(p, OPERATOR, "a long enough password");
      const verify = p.getByRole("form", { name: "Verify" });
      await verify.getByLabel("Authentication code").fill(await app.next());
      await verify.getByRole("button", { name: "Verify" }).click();
      await heading(p, name);
      await p.getByRole("region", { name: "Tenant closed" }).getByText("This tenant is suspended: its members cannot use it.").waitFor();
      await expectAccessible(p, "suspended tenant seen by a platform admin");
      await p.goto(detail);
      await heading(p, name);

      // Restored: the platform's log has both actions with the reason; the member's dashboard is back.
      await p.getByRole("button", { name: `Restore ${name}` }).click();
      await p.getByRole("status").filter({ hasText: `${name} is active again.` }).waitFor();
      await p.getByRole("link", { name: "Platform actions on this tenant" }).click();
      await heading(p, "Platform audit log");
      await p.getByText("Actions on one tenant.").waitFor();
      const log = p.getByRole("table", { name: "Platform audit log entries" });
      await log.getByRole("row").filter({ hasText: "platform.tenants.restore" }).waitFor();
      const suspended = await log.getByRole("row").filter({ hasText: "platform.tenants.suspend" }).textContent();
      expect(suspended).toContain(reason);
      expect(suspended).toContain(`${name}${slug}`);
      expect(await log.getByRole("row").filter({ hasText: "platform.tenants.setPlan" }).textContent()).toContain("tier: free → enterprise");
      await expectAccessible(p, "platform audit log");

      await m.reload();
      await heading(m, name);
      await m.getByRole("navigation", { name: "Main" }).waitFor();
      expect(await m.getByTestId("tenant-closed").count()).toBe(0);

      // Archived by its owner: the member is told so; within the grace period the platform brings it back.
      await (await apiAs("owner@globex.test", slug)).mutate("tenant.archive", { confirmSlug: slug });
      await m.reload();
      await heading(m, "This tenant is archived");
      await expectAccessible(m, "archived page");
      await p.goto(detail);
      await heading(p, name);
      await p.getByText("Archived by its owner").waitFor();
      await p.getByRole("button", { name: `Restore ${name}` }).click();
      await p.getByRole("status").filter({ hasText: `${name} is active again.` }).waitFor();
      await m.reload();
      await heading(m, name);

      // The console on a phone: tables scroll inside their regions, the page does not.
      await onPhone(p);
      expect(await scrollsSideways(p)).toBe(false);
      await expectAccessible(p, "platform tenant detail on a phone");
      await p.getByRole("navigation", { name: "Platform" }).getByRole("link", { name: "Platform audit log" }).click();
      await log.waitFor();
      await onPhone(p);
      expect(await scrollsSideways(p)).toBe(false);
      await p.getByRole("navigation", { name: "Platform" }).getByRole("link", { name: "Tenants" }).click();
      await tenants.waitFor();
      await onPhone(p);
      expect(await scrollsSideways(p)).toBe(false);
      await expectAccessible(p, "platform tenants on a phone");
    } finally {
      await member.close();
    }
  }, JOURNEY_MS);

  it("anyone else is told the console is not theirs, and the API agrees", async () => {
    const p = page();
    await p.goto(url(null, "/sign-in"));
    await signIn(p, "owner@acme.test", DEMO_PASSWORD);
    await p.getByRole("list", { name: "Tenants" }).waitFor();
    await p.goto(url(null, "/platform"));
    await heading(p, "Platform console");
    await p.getByText("Only platform admins can open the platform console").waitFor();
    expect(await p.getByRole("table").count()).toBe(0);
    await expectAccessible(p, "platform console refused");
    const api = await apiAs("owner@acme.test", "acme");
    await expect(api.query("platform.tenants.list", {})).rejects.toThrow(/HTTP 403/);

    // On a tenant's address the console says where it lives.
    await p.goto(url("acme", "/sign-in"));
    await signIn(p, "owner@acme.test", DEMO_PASSWORD);
    await heading(p, "Acme Corporation");
    await p.goto(url("acme", "/platform"));
    await p.getByText("The platform console is not on a tenant's address").waitFor();
    expect(await p.getByRole("link", { name: "Open the platform console" }).getAttribute("href")).toBe(url(null, "/platform"));
  });
});
