import { expect, it } from "vitest";
import { describeInBrowser, heading, nav, unique, url, useBrowser } from "./browser";

describeInBrowser("members and invitations", () => {
  const page = useBrowser();

  it("an admin adds an existing user and invites a new one; the seat count follows; the invitee accepts and lands on the tenant", async () => {
    const p = page();
    // A fresh tenant of a fresh owner, so seat counts do not depend on other tests.
    await p.goto(url(null, "/sign-up"));
    const owner = `${unique("owner")}@example.test`;
    const signUp = p.getByRole("form", { name: "Create account" });
    await signUp.getByLabel("Name").fill("Olive Owner");
    await signUp.getByLabel("Email").fill(owner);
    await signUp.getByLabel("Password").fill("a long enough password");
    await signUp.getByRole("button", { name: "Create account" }).click();
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

    // An existing user (the demo's globex owner) is added right away.
    await p.getByRole("button", { name: "Add member" }).click();
    let form = p.getByRole("form", { name: "Add member" });
    await form.getByLabel("Email").fill("owner@globex.test");
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Add member" }).click();
    await p.getByRole("status").filter({ hasText: "owner@globex.test was added." }).waitFor();
    await p.getByRole("table", { name: "Members" }).getByRole("cell", { name: "owner@globex.test" }).waitFor();
    await count.filter({ hasText: /^2 of \d+ seats used$/ }).waitFor();

    // The server's field message for a bad email.
    await p.getByRole("button", { name: "Add member" }).click();
    form = p.getByRole("form", { name: "Add member" });
    await form.getByLabel("Email").fill("not-an-email");
    await form.getByRole("button", { name: "Add member" }).click();
    await form.getByText("Enter a valid email address").waitFor();
    expect(await form.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");

    // An unknown email gets an invitation; the link is shown with a copy button.
    const invitee = `${unique("invitee")}@example.test`;
    await form.getByLabel("Email").fill(invitee);
    await form.getByRole("button", { name: "Add member" }).click();
    const dialog = p.getByRole("dialog", { name: "Invitation created" });
    const link = (await dialog.getByTestId("invitation-link").textContent())!;
    expect(link).toMatch(new RegExp(`^http://${tenant.slug}\\.localhost:\\d+/invitations/accept\\?token=`));
    await dialog.getByRole("button", { name: "Copy" }).waitFor();
    await dialog.getByRole("button", { name: "Done" }).click();
    const invitations = p.getByRole("table", { name: "Invitations" });
    await invitations.getByRole("row").filter({ hasText: invitee }).filter({ hasText: "pending" }).waitFor();

    // The invitee opens the link signed out, signs up, comes back, accepts and lands on the tenant.
    await p.context().clearCookies();
    await p.goto(link);
    await p.getByRole("link", { name: "Create an account" }).click();
    const signUp2 = p.getByRole("form", { name: "Create account" });
    await signUp2.getByLabel("Name").fill("Ivy Invitee");
    await signUp2.getByLabel("Email").fill(invitee);
    await signUp2.getByLabel("Password").fill("a long enough password");
    await signUp2.getByRole("button", { name: "Create account" }).click();
    await p.getByRole("button", { name: "Accept invitation" }).click();
    await p.waitForURL((u) => u.hostname === `${tenant.slug}.localhost` && u.pathname === "/");
    await heading(p, tenant.name);
    expect(await p.getByTestId("members-used").textContent()).toMatch(/^3 \/ \d+$/);
  });
});
