import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, heading, nav, signInOn, unique, useBrowser } from "./browser";

describeInBrowser("API keys", () => {
  const page = useBrowser();

  it("a new key is shown once: gone after closing the dialog and after a reload, listed by its prefix", async () => {
    const p = page();
    await signInOn(p, "globex", "owner@globex.test", "Globex");
    await nav(p, "API keys");
    await heading(p, "API keys");

    const name = unique("crm-sync");
    await p.getByRole("button", { name: "Create API key" }).click();
    const form = p.getByRole("form", { name: "Create API key" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Role").selectOption("agent");
    await form.getByRole("button", { name: "Create key" }).click();

    const shown = p.getByTestId("new-api-key");
    const key = (await shown.textContent())!;
    expect(key).toMatch(/^sk_\S{20,}$/);
    await p.getByRole("dialog").getByRole("button", { name: "Copy" }).waitFor();
    await expectAccessible(p, "new API key shown once");

    // The key works (a Node client with the key, on the bare host with x-tenant).
    const res = await fetch(new URL("/trpc/tenant.current", p.url()).href.replace("globex.localhost", "localhost"), {
      headers: { authorization: `Bearer ${key}`, "x-tenant": "globex" },
    });
    expect(res.status).toBe(200);

    await p.getByRole("button", { name: "I have copied it" }).click();
    await shown.waitFor({ state: "detached" });
    const row = p.getByRole("table", { name: "API keys" }).getByRole("row").filter({ hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain(key.slice(0, 6));
    await expectAccessible(p, "API keys");
    expect(await p.content()).not.toContain(key);

    // Opening the dialog again shows a fresh form, not the old key.
    await p.getByRole("button", { name: "Create API key" }).click();
    await p.getByRole("form", { name: "Create API key" }).waitFor();
    expect(await p.content()).not.toContain(key);
    await p.keyboard.press("Escape");

    await p.reload();
    await row.waitFor();
    expect(await p.content()).not.toContain(key);

    // Revoked keys stop working.
    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    await p.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
    await row.getByText("Revoked").waitFor();
    const after = await fetch(new URL("/trpc/tenant.current", p.url()).href.replace("globex.localhost", "localhost"), {
      headers: { authorization: `Bearer ${key}`, "x-tenant": "globex" },
    });
    expect(after.status).toBe(401);

    // Both changes are in the audit log; the filters narrow it.
    await nav(p, "Audit log");
    const filters = p.getByRole("form", { name: "Audit filters" });
    await filters.getByLabel("Action").fill("apiKeys.revoke");
    await filters.getByLabel("Result").selectOption("success");
    const entries = p.getByRole("table", { name: "Audit log entries" });
    await entries.getByRole("row").filter({ hasText: "apiKeys.revoke" }).first().waitFor();
    // Both filters applied (each refetches): every row left is a revocation.
    await p.waitForFunction(() => {
      const cells = [...document.querySelectorAll('table[aria-label="Audit log entries"] tbody tr td:nth-child(3)')];
      return cells.length > 0 && cells.every((c) => c.textContent === "apiKeys.revoke");
    });
    await expectAccessible(p, "audit log filtered");
  });
});
