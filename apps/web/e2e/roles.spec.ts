import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, heading, nav, signInOn, url, useBrowser } from "./browser";

describeInBrowser("role-aware dashboard", () => {
  const page = useBrowser();

  it("a viewer sees no write controls anywhere", async () => {
    const p = page();
    await signInOn(p, "acme", "viewer@acme.test", "Acme Corporation");
    const sidebar = p.getByRole("navigation", { name: "Main" });
    await sidebar.getByRole("link", { name: "Members", exact: true }).waitFor();
    expect(await sidebar.getByRole("link", { name: "API keys" }).count()).toBe(0);
    expect(await sidebar.getByRole("link", { name: "Audit log" }).count()).toBe(0);

    await nav(p, "Members");
    await p.getByRole("table", { name: "Members" }).getByRole("cell", { name: "owner@acme.test" }).waitFor();
    expect(await p.getByRole("button", { name: "Invite member" }).count()).toBe(0);
    expect(await p.getByRole("button", { name: /^Remove / }).count()).toBe(0);
    expect(await p.getByRole("combobox", { name: /^Role of / }).count()).toBe(0);
    expect(await p.getByRole("button", { name: /^Revoke invitation/ }).count()).toBe(0);
    expect(await p.getByTestId("invited-row").count()).toBe(0);
    await expectAccessible(p, "members (viewer)");

    await nav(p, "Settings");
    await heading(p, "Settings");
    await p.getByRole("form", { name: "Branding" }).waitFor();
    expect(await p.getByRole("button", { name: /^Save / }).count()).toBe(0);
    expect(await p.getByRole("button", { name: "New department" }).count()).toBe(0);
    expect(await p.getByRole("form", { name: "Create department" }).count()).toBe(0);
    expect(await p.getByRole("button", { name: "Archive tenant" }).count()).toBe(0);
    await expectAccessible(p, "settings (viewer)");

    // Typing the address of an admin screen does not reveal it either.
    await p.goto(url("acme", "/api-keys"));
    await p.getByText("Only admins and owners manage API keys.").waitFor();
    expect(await p.getByRole("button", { name: "Create API key" }).count()).toBe(0);
    await expectAccessible(p, "API keys refused (viewer)");
  });

  it("switching tenants shows the other tenant's data and never the first one's", async () => {
    const p = page();
    await signInOn(p, "acme", "owner@acme.test", "Acme Corporation");
    await nav(p, "Members");
    const members = p.getByRole("table", { name: "Members" });
    await members.getByRole("cell", { name: "viewer@acme.test" }).waitFor();

    await p.getByRole("button", { name: /switch tenant/i }).click();
    await p.getByRole("region", { name: "Your tenants" }).getByRole("button", { name: /^Acme Sales/ }).click();
    await p.waitForURL((u) => u.hostname === "acme-sales.localhost");
    await heading(p, "Acme Sales");
    await nav(p, "Members");
    await members.getByRole("cell", { name: "sales@acme.test" }).waitFor();
    const text = await members.textContent();
    expect(text).not.toContain("viewer@acme.test");
    expect(text).not.toContain("admin@acme.test");
    expect(await p.getByRole("navigation", { name: "Main" }).textContent()).not.toContain("Acme Corporation");
    await expectAccessible(p, "members of a department");
  });
});
