import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { DEMO_PASSWORD, describeInBrowser, heading, nav, port, signIn, signUp, unique, url, useBrowser } from "./browser";
import { linkIn, waitForMail } from "./mail";

describeInBrowser("members and invitations", () => {
  const page = useBrowser();

  it("an admin invites people (never adds them); seats count invitations; a revoked link is refused; the invitee accepts by the mailed link", async () => {
    const p = page();
    // A fresh tenant of a fresh owner, so seat counts do not depend on other tests.
    await p.goto(url(null, "/sign-up"));
    const owner = `${unique("owner")}@example.test`;
    await signUp(p, { name: "Olive Owner", email: owner, password: "a long enough password" });
    const tenant = { name: `Team ${unique("t")}`, slug: unique("team") };
    const create = p.getByRole("form", { name: "Create tenant" });
    await create.getByLabel("Tenant name").fill(tenant.name);
    await create.getByLabel("Address").fill(tenant.slug);
    await create.getByRole("button", { name: "Create tenant" }).click();
    await p.getByRole("button", { name: `Open ${tenant.name}` }).click();
    await p.waitForURL((u) => u.hostname === `${tenant.slug}.localhost`);
    await heading(p, tenant.name);

    await nav(p, "Members");
    await heading(p, "Members");
    const count = p.getByTestId("member-count");
    await count.filter({ hasText: /^1 of \d+ seats used$/ }).waitFor();
    await expectAccessible(p, "members (owner)");
    const members = p.getByRole("table", { name: "Members" });

    // An existing user (the demo's globex owner) is invited, not added: the same answer as for anyone.
    await p.getByRole("button", { name: "Invite member" }).click();
    let form = p.getByRole("form", { name: "Invite member" });
    await form.getByLabel("Email").fill("owner@globex.test");
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Send invitation" }).click();
    await p.getByRole("status").filter({ hasText: "We emailed an invitation to owner@globex.test" }).waitFor();
    const globexRow = members.getByRole("row").filter({ hasText: "owner@globex.test" });
    await globexRow.filter({ hasText: "Invited" }).waitFor();
    expect(await globexRow.textContent()).toMatch(/viewer/i);
    // Not a member: no role to change, nothing to remove (only the invitation to revoke).
    expect(await globexRow.getByRole("combobox").count()).toBe(0);
    expect(await members.getByRole("button", { name: /^Remove / }).count()).toBe(1);
    await count.filter({ hasText: /^2 of \d+ seats used \(1 invited\)$/ }).waitFor();

    // The server's field message for a bad email.
    await p.getByRole("button", { name: "Invite member" }).click();
    form = p.getByRole("form", { name: "Invite member" });
    await form.getByLabel("Email").fill("not-an-email");
    await form.getByRole("button", { name: "Send invitation" }).click();
    await form.getByText("Enter a valid email address").waitFor();
    expect(await form.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(p, "invite dialog with a field error");

    // Someone without an account: invited the same way.
    const invitee = `${unique("invitee")}@example.test`;
    await form.getByLabel("Email").fill(invitee);
    await form.getByRole("button", { name: "Send invitation" }).click();
    await p.getByRole("status").filter({ hasText: `We emailed an invitation to ${invitee}` }).waitFor();
    await members.getByRole("row").filter({ hasText: invitee }).filter({ hasText: "Invited" }).waitFor();
    await count.filter({ hasText: /^3 of \d+ seats used \(2 invited\)$/ }).waitFor();

    // Revoking frees the seat.
    await p.getByRole("button", { name: "Revoke invitation for owner@globex.test" }).click();
    await p.getByRole("status").filter({ hasText: "The invitation for owner@globex.test was revoked." }).waitFor();
    await count.filter({ hasText: /^2 of \d+ seats used \(1 invited\)$/ }).waitFor();
    expect(await globexRow.count()).toBe(0);

    // Each invitation was mailed with a link to this tenant's own address.
    const globexMail = await waitForMail("owner@globex.test", /invit/i);
    expect(globexMail.text).toContain(tenant.name);
    const globexLink = linkIn(globexMail, "/invitations/accept");
    expect(new URL(globexLink).host).toBe(`${tenant.slug}.localhost:${port}`);
    const invitation = await waitForMail(invitee, /invit/i);
    expect(invitation.text).toContain(tenant.name);
    const link = linkIn(invitation, "/invitations/accept");
    expect(new URL(link).host).toBe(`${tenant.slug}.localhost:${port}`);

    // The revoked invitation's link is refused, even to its addressee.
    await p.context().clearCookies();
    await p.goto(globexLink);
    await p.getByRole("link", { name: "Sign in to accept" }).click();
    await signIn(p, "owner@globex.test", DEMO_PASSWORD);
    await p.getByRole("button", { name: "Accept invitation" }).click();
    await p.getByRole("alert").filter({ hasText: "Could not accept the invitation" }).waitFor();
    await expectAccessible(p, "accept a revoked invitation");

    // The invitee opens the mailed link signed out, signs up, comes back, accepts and lands on the tenant.
    await p.context().clearCookies();
    await p.goto(link);
    await p.getByRole("link", { name: "Create an account" }).waitFor();
    await expectAccessible(p, "invitation signed out");
    await p.getByRole("link", { name: "Create an account" }).click();
    await signUp(p, { name: "Ivy Invitee", email: invitee, password: "a long enough password" });
    await p.getByRole("button", { name: "Accept invitation" }).click();
    await p.waitForURL((u) => u.hostname === `${tenant.slug}.localhost` && u.pathname === "/");
    await heading(p, tenant.name);
    expect(await p.getByTestId("members-used").textContent()).toMatch(/^2 \/ \d+$/);
    // Accepting by the mailed token proved the address: no banner asks to verify it.
    expect(await p.getByRole("region", { name: "Verify your email" }).count()).toBe(0);
  });
});
