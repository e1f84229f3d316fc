import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, heading, nav, signInOn, unique, url, useBrowser } from "./browser";

describeInBrowser("the call-center screens", () => {
  const page = useBrowser();

  it("an admin creates an AI agent and edits it; the usage counter follows", async () => {
    const p = page();
    await signInOn(p, "acme", "admin@acme.test", "Acme Corporation");
    await nav(p, "AI agents");
    await heading(p, "AI agents");
    const usage = p.getByTestId("agent-usage");
    await usage.waitFor();
    await expectAccessible(p, "AI agents");
    const [before] = (await usage.textContent())!.split(" / ").map(Number);

    await p.getByRole("button", { name: "Create agent" }).click();
    const form = p.getByRole("form", { name: "Create agent" });
    const name = unique("Ava");
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Type").selectOption("voice");
    await form.getByLabel("Prompt").fill("You answer billing questions for Acme customers, politely and briefly.");
    // The server's message for a bad language tag, on that field.
    await form.getByLabel("Language").fill("English please");
    await form.getByRole("button", { name: "Create agent" }).click();
    await form.getByText("Use a language tag such as en-US").waitFor();
    await form.getByLabel("Language").fill("en-GB");
    await form.getByLabel("Greeting").fill("Hello, this is Acme billing.");
    await expectAccessible(p, "create agent dialog with a field error");
    await form.getByRole("button", { name: "Create agent" }).click();

    const card = p.getByRole("list", { name: "Agents" }).getByRole("listitem").filter({ hasText: name });
    await card.getByText("“Hello, this is Acme billing.”").waitFor();
    expect(await usage.textContent()).toMatch(new RegExp(`^${before! + 1} / \\d+$`));

    await card.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = p.getByRole("form", { name: "Edit agent" });
    await edit.getByLabel("Greeting").fill("Hi! Acme billing here.");
    await edit.getByRole("button", { name: "Save agent" }).click();
    await card.getByText("“Hi! Acme billing here.”").waitFor();
  });

  it("an engagement created in one tab appears live in another, and status changes follow", async () => {
    const inbox = page();
    await signInOn(inbox, "acme", "agent@acme.test", "Acme Corporation");
    await nav(inbox, "Engagements");
    await inbox.getByRole("table", { name: "Engagements" }).waitFor();
    await inbox.getByRole("status", { name: "Live updates: live" }).waitFor();
    await expectAccessible(inbox, "engagements list (agent)");

    // A second tab of the same signed-in browser.
    const other = await inbox.context().newPage();
    await other.goto(url("acme", "/engagements"));
    await other.getByRole("button", { name: "New engagement" }).click();
    const form = other.getByRole("form", { name: "New engagement" });
    const customer = `${unique("cust")}@example.test`;
    await form.getByLabel("Channel").selectOption("email");
    await form.getByLabel("Customer").fill(customer);
    await form.getByLabel("Subject").fill("Refund for order 1042");
    await form.getByLabel("Message").fill("Hello, I would like a refund please.");
    await expectAccessible(other, "new engagement dialog");
    await form.getByRole("button", { name: "Create engagement" }).click();
    await form.waitFor({ state: "detached" });

    // The first tab was not reloaded: the row arrives over SSE.
    const row = inbox.getByRole("row").filter({ hasText: customer });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain("Refund for order 1042");

    // A status change in the second tab reaches the first.
    const otherRow = other.getByRole("row").filter({ hasText: customer });
    await otherRow.getByRole("combobox", { name: `Status of ${customer}` }).selectOption("open");
    await inbox.waitForFunction(
      (c) => {
        const select = document.querySelector<HTMLSelectElement>(`select[aria-label="Status of ${c}"]`);
        return select?.value === "open";
      },
      customer,
      { timeout: 10_000 },
    );
    await other.close();
  });

  it("a viewer reads calls, leads, agents and engagements without write controls", async () => {
    const p = page();
    await signInOn(p, "acme", "viewer@acme.test", "Acme Corporation");
    await nav(p, "Engagements");
    await p.getByRole("table", { name: "Engagements" }).waitFor();
    expect(await p.getByRole("button", { name: "New engagement" }).count()).toBe(0);
    expect(await p.getByRole("combobox", { name: /^Status of / }).count()).toBe(0);
    await expectAccessible(p, "engagements list (viewer)");

    await nav(p, "AI agents");
    await p.getByRole("list", { name: "Agents" }).waitFor();
    expect(await p.getByRole("button", { name: "Create agent" }).count()).toBe(0);
    expect(await p.getByRole("button", { name: /^Edit / }).count()).toBe(0);
    await expectAccessible(p, "AI agents (viewer)");

    await nav(p, "Leads");
    await p.getByRole("heading", { level: 1, name: "Leads" }).waitFor();
    await p.getByRole("listitem", { name: "New leads" }).waitFor();
    expect(await p.getByRole("button", { name: "Add lead" }).count()).toBe(0);
    expect(await p.getByRole("combobox", { name: /^Move / }).count()).toBe(0);
    await expectAccessible(p, "leads board (viewer)");

    await nav(p, "Calls");
    const calls = p.getByRole("table", { name: "Calls" });
    await calls.waitFor();
    await expectAccessible(p, "calls list (viewer)");
    await calls.getByRole("link").first().click();
    await p.getByRole("heading", { level: 2, name: "Transcript" }).waitFor();
    await expectAccessible(p, "call detail (viewer)");
    expect(await p.getByRole("button", { name: "Save outcome" }).count()).toBe(0);
  });

  it("call filters narrow the list and the analytics screen draws its charts", async () => {
    const p = page();
    await signInOn(p, "acme", "owner@acme.test", "Acme Corporation");
    await nav(p, "Calls");
    const calls = p.getByRole("table", { name: "Calls" });
    await calls.waitFor();
    await p.getByRole("form", { name: "Call filters" }).getByLabel("Status").selectOption("completed");
    await p.waitForFunction(() => {
      const cells = [...document.querySelectorAll('table[aria-label="Calls"] tbody tr td:nth-child(3)')];
      return cells.length > 0 && cells.every((c) => c.textContent === "Completed");
    });
    await expectAccessible(p, "calls list filtered (owner)");

    await nav(p, "Analytics");
    await heading(p, "Analytics");
    await p.getByRole("figure", { name: "Volume over time chart" }).locator(".recharts-area-curve").first().waitFor();
    await p.getByRole("figure", { name: "Engagements by channel chart" }).locator(".recharts-bar-rectangle").first().waitFor();
    await p.getByRole("group", { name: "Key figures" }).getByText("Engagements").waitFor();
    await expectAccessible(p, "analytics");
  });
});
