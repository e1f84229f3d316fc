import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, heading, nav, signUp, unique, url, useBrowser } from "./browser";
import { linkIn, waitForMail } from "./mail";
import { enableMfa } from "./totp";

describeInBrowser("a tenant that requires two-factor authentication", () => {
  const page = useBrowser();

  it("an owner with MFA requires it; a member without MFA is told so and sent to set it up, then gets in", async () => {
    const p = page();
    const owner = `${unique("mfa-owner")}@example.test`;
    const tenant = { name: `Strict ${unique("co")}`, slug: unique("strict") };
    await p.goto(url(null, "/sign-up"));
    await signUp(p, { name: "Sam Strict", email: owner, password: "a long enough password" });
    const create = p.getByRole("form", { name: "Create tenant" });
    await create.getByLabel("Tenant name").fill(tenant.name);
    await create.getByLabel("Address").fill(tenant.slug);
    await create.getByRole("button", { name: "Create tenant" }).click();
    await p.getByRole("button", { name: `Open ${tenant.name}` }).click();
    await heading(p, tenant.name);

    // Without MFA of their own, the owner cannot switch the requirement on (and is told where to get it).
    await nav(p, "Settings");
    const security = p.getByRole("form", { name: "Security" });
    const toggle = security.getByRole("switch", { name: "Require two-factor authentication" });
    await toggle.waitFor({ state: "attached" });
    expect(await toggle.isDisabled()).toBe(true);
    await expectAccessible(p, "settings: security without MFA");
    await security.getByRole("link", { name: "Set it up" }).click();
    await enableMfa(p);

    await p.goto(url(tenant.slug, "/settings"));
    await toggle.waitFor({ state: "attached" });
    expect(await toggle.isDisabled()).toBe(false);
    await toggle.check({ force: true });
    await security.getByRole("button", { name: "Save security" }).click();
    await security.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await p.reload();
    await toggle.waitFor({ state: "attached" });
    expect(await toggle.isChecked()).toBe(true);

    // A member without MFA: invited, accepts by the mailed link, and is refused with a way forward.
    await nav(p, "Members");
    const member = `${unique("mfa-member")}@example.test`;
    await p.getByRole("button", { name: "Invite member" }).click();
    const invite = p.getByRole("form", { name: "Invite member" });
    await invite.getByLabel("Email").fill(member);
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await p.getByRole("status").filter({ hasText: `We emailed an invitation to ${member}` }).waitFor();
    const link = linkIn(await waitForMail(member, /invit/i), "/invitations/accept");

    await p.context().clearCookies();
    await p.goto(link);
    await p.getByRole("link", { name: "Create an account" }).click();
    await signUp(p, { name: "Max Member", email: member, password: "a long enough password" });
    await p.getByRole("button", { name: "Accept invitation" }).click();
    // Refused on the way in (hand-off or the tenant's pages): the contract's message, and a link to set MFA up.
    await p.getByText("This tenant requires two-factor authentication").first().waitFor();
    await expectAccessible(p, "tenant requires two-factor");
    await p.getByRole("link", { name: "Set up two-factor authentication" }).click();
    await enableMfa(p);

    // With MFA on, the tenant opens (the invitation link, and so this session, are on the tenant's own host).
    await p.goto(url(tenant.slug, "/"));
    await heading(p, tenant.name);
    expect(await p.getByText("This tenant requires two-factor authentication").count()).toBe(0);
  });
});
