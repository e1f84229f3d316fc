import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, heading, signIn, signInFormShown, signOut, switchTo, unique, url, useBrowser } from "./browser";

const DEMO_PASSWORD = "switchboard-demo";

describeInBrowser("tenants in the dashboard", () => {
  const page = useBrowser();

  it("a new user signs up at the bare domain, creates two tenants and moves between them without signing in again", async () => {
    const p = page();
    await p.goto(url(null, "/"));
    // Signed out at the bare domain: sent to sign in, from there to sign up.
    await p.waitForURL((u) => u.pathname === "/sign-in");
    await p.getByRole("link", { name: "Create an account" }).click();

    const email = `${unique("e2e")}@example.test`;
    const signUp = p.getByRole("form", { name: "Create account" });
    await signUp.getByLabel("Name").fill("Erin Endtoend");
    await signUp.getByLabel("Email").fill(email);
    await signUp.getByLabel("Password").fill("a long enough password");
    await signUp.getByRole("button", { name: "Create account" }).click();

    // The picker, empty for a new user.
    await p.getByText("You are not a member of any tenant yet").waitFor();
    await expectAccessible(p, "tenant picker (empty)");

    const first = { name: `First ${unique("co")}`, slug: unique("first") };
    const second = { name: `Second ${unique("co")}`, slug: unique("second") };
    for (const t of [first, second]) {
      const form = p.getByRole("form", { name: "Create tenant" });
      await form.getByLabel("Tenant name").fill(t.name);
      await form.getByLabel("Address").fill(t.slug);
      await form.getByRole("button", { name: "Create tenant" }).click();
      await p.getByRole("status").filter({ hasText: `Created ${t.name}` }).waitFor();
      await p.getByRole("list", { name: "Tenants" }).getByText(t.name, { exact: true }).waitFor();
    }

    // Open the first tenant: a hand-off to its subdomain signs the user in there.
    await p.getByRole("button", { name: `Open ${first.name}` }).click();
    await p.waitForURL((u) => u.hostname === `${first.slug}.localhost` && u.pathname === "/");
    await heading(p, first.name);
    expect(await signInFormShown(p)).toBe(false);
    expect(await p.getByTestId("members-used").textContent()).toMatch(/^1 \/ \d+$/);
    await expectAccessible(p, "overview of a new tenant");

    // And on to the second through the top bar's switcher.
    await switchTo(p, second.name);
    await p.waitForURL((u) => u.hostname === `${second.slug}.localhost` && u.pathname === "/");
    await heading(p, second.name);
    expect(await signInFormShown(p)).toBe(false);
    expect(new URL(p.url()).host).toBe(`${second.slug}.localhost:${new URL(url(null)).port}`);
  });

  it("the acme owner signs in on acme and switches to its department acme-sales", async () => {
    const p = page();
    await p.goto(url("acme", "/sign-in"));
    await signIn(p, "owner@acme.test", DEMO_PASSWORD);
    await heading(p, "Acme Corporation");
    await p.getByRole("progressbar", { name: "Seats used" }).waitFor();

    // The tenant's brand color is applied (validated) as a CSS custom property.
    const brand = await p.locator("[style*='--brand']").first().evaluate((el) => getComputedStyle(el).getPropertyValue("--brand").trim());
    expect(brand).toBe("#4f46e5");

    // The department sits indented under its organisation; globex is not offered.
    await p.getByRole("button", { name: /switch tenant/i }).click();
    const menu = p.getByRole("region", { name: "Your tenants" });
    await menu.getByRole("button", { name: /^Acme Sales/ }).waitFor();
    expect(await menu.getByRole("button", { name: /^Globex/ }).count()).toBe(0);
    await expectAccessible(p, "tenant switcher menu");
    await p.keyboard.press("Escape");

    await switchTo(p, "Acme Sales");
    await p.waitForURL((u) => u.hostname === "acme-sales.localhost");
    await heading(p, "Acme Sales");
    expect(await signInFormShown(p)).toBe(false);

    // Signing out ends the session: the home page asks to sign in again.
    await signOut(p);
    await p.getByRole("form", { name: "Sign in" }).waitFor();
    await p.goto(url("acme-sales", "/"));
    await p.waitForURL((u) => u.pathname === "/sign-in");
  });

  it("an expired or reused hand-off link lands on sign in with an explanation", async () => {
    const p = page();
    await p.goto(url("acme", "/auth/handoff?token=not-a-real-token"));
    await p.waitForURL((u) => u.hostname === "acme.localhost" && u.pathname === "/sign-in");
    await p.getByText("That sign-in link has expired or was already used").waitFor();
    await expectAccessible(p, "sign in after an expired hand-off");
  });
});
