/**
 * Conversation settings, the availability switch and contacts, in the department acme-sales: its routing, hours and
 * availability are its own, so the journeys on acme keep manual routing and nobody online. admin@acme.test acts
 * there as admin through the organisation; sales@acme.test is the department's own agent.
 */
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, heading, nav, onPhone, scrollsSideways, signInOn, unique, useBrowser } from "./browser";

const sales = "acme-sales";
const salesName = "Acme Sales";

const saved = (p: Page, form: string) => p.getByRole("form", { name: form }).getByRole("status").filter({ hasText: "Saved" }).waitFor();

/** Long journeys with many saves, on a shared 2-core machine. */
const long = { timeout: 180_000 };

describeInBrowser("conversation settings, availability and contacts", () => {
  const page = useBrowser();

  it("an admin creates a label and a canned response, and sets round-robin routing, business hours and an SLA", long, async () => {
    const p = page();
    await signInOn(p, sales, "admin@acme.test", salesName);
    await nav(p, "Settings");
    await heading(p, "Settings");
    await p.getByRole("list", { name: "Labels" }).or(p.getByText("No labels yet.")).waitFor();
    await expectAccessible(p, "settings (admin)");
    // Acting through the organisation, the admin takes no conversations here: no availability switch.
    expect(await p.getByLabel("Your availability").count()).toBe(0);

    const label = unique("VIP");
    await p.getByRole("button", { name: "New label" }).click();
    const labelForm = p.getByRole("form", { name: "New label" });
    await labelForm.getByLabel("Name").fill(label);
    await labelForm.getByLabel("Color").fill("#0f766e");
    await expectAccessible(p, "new label dialog");
    await labelForm.getByRole("button", { name: "Create label" }).click();
    const labelRow = p.getByRole("list", { name: "Labels" }).getByRole("listitem").filter({ hasText: label });
    await labelRow.getByText("#0f766e").waitFor();

    const shortcut = unique("refund").toLowerCase();
    await p.getByRole("button", { name: "New canned response" }).click();
    const cannedForm = p.getByRole("form", { name: "New canned response" });
    // The server's message for a shortcut it refuses, on that field.
    await cannedForm.getByLabel("Shortcut").fill("Not a shortcut!");
    await cannedForm.getByLabel("Title").fill("Refund on its way");
    await cannedForm.getByLabel("Reply").fill("Your refund is on its way and reaches your account within 5 working days.");
    await cannedForm.getByRole("button", { name: "Create canned response" }).click();
    await cannedForm.getByText(/^Use 1–32 lowercase letters/).waitFor();
    await expectAccessible(p, "new canned response with a field error");
    await cannedForm.getByLabel("Shortcut").fill(shortcut);
    await cannedForm.getByRole("button", { name: "Create canned response" }).click();
    await p.getByRole("list", { name: "Canned responses" }).getByRole("listitem").filter({ hasText: `/${shortcut}` }).getByText("Refund on its way").waitFor();

    const routing = p.getByRole("form", { name: "Routing" });
    await routing.getByLabel("New conversations").selectOption("round_robin");
    await routing.getByLabel("Open conversations per agent at most").fill("4");
    await routing.getByRole("button", { name: "Save routing" }).click();
    await saved(p, "Routing");

    const hours = p.getByRole("form", { name: "Business hours" });
    await hours.getByRole("radio", { name: "On a weekly schedule" }).check();
    await hours.getByLabel("Time zone").selectOption("Europe/Berlin");
    await hours.getByRole("checkbox", { name: "Saturday" }).check();
    await hours.getByLabel("Saturday closes").fill("08:00");
    await hours.getByRole("button", { name: "Save business hours" }).click();
    await hours.getByRole("alert").filter({ hasText: "Closes before it opens" }).waitFor();
    await expectAccessible(p, "business hours with a row error");
    await hours.getByLabel("Saturday closes").fill("13:00");
    await hours.getByRole("button", { name: "Save business hours" }).click();
    await saved(p, "Business hours");

    const sla = p.getByRole("form", { name: "SLA" });
    const promise = sla.getByRole("switch", { name: "Promise a first response" });
    if (!(await promise.isChecked())) await promise.check({ force: true });
    await sla.getByLabel("First response within (business minutes)").fill("30");
    await sla.getByRole("button", { name: "Save SLA" }).click();
    await saved(p, "SLA");

    // Saved for real: a reload shows the same.
    await p.reload();
    await heading(p, "Settings");
    await labelRow.waitFor();
    expect(await routing.getByLabel("New conversations").inputValue()).toBe("round_robin");
    expect(await routing.getByLabel("Open conversations per agent at most").inputValue()).toBe("4");
    expect(await hours.getByLabel("Time zone").inputValue()).toBe("Europe/Berlin");
    expect(await hours.getByRole("checkbox", { name: "Saturday" }).isChecked()).toBe(true);
    expect(await hours.getByLabel("Saturday closes").inputValue()).toBe("13:00");
    expect(await sla.getByLabel("First response within (business minutes)").inputValue()).toBe("30");
  });

  it("a viewer reads the conversation settings without a control to change them", async () => {
    const p = page();
    await signInOn(p, sales, "viewer@acme.test", salesName);
    expect(await p.getByLabel("Your availability").count()).toBe(0);
    await nav(p, "Settings");
    await p.getByRole("form", { name: "Routing" }).waitFor();
    await p.getByRole("list", { name: "Labels" }).or(p.getByText("No labels yet.")).waitFor();
    expect(await p.getByRole("form", { name: "Routing" }).getByLabel("New conversations").isDisabled()).toBe(true);
    for (const name of ["New label", "New canned response", "Save routing", "Save business hours", "Save SLA"]) {
      expect(await p.getByRole("button", { name }).count()).toBe(0);
    }
    expect(await p.getByRole("button", { name: /^(Edit|Delete) / }).count()).toBe(0);
    await expectAccessible(p, "settings (viewer)");
  });

  it("an agent flips the availability switch in the header; it holds across a reload", long, async () => {
    const p = page();
    await signInOn(p, sales, "sales@acme.test", salesName);
    const availability = p.getByLabel("Your availability");
    await availability.waitFor();
    await expectAccessible(p, "overview with the availability switch");
    const choose = (status: string) =>
      Promise.all([p.waitForResponse((r) => r.url().includes("availability.set") && r.ok()), availability.selectOption(status)]);
    for (const status of ["online", "away"] as const) {
      await choose(status);
      await p.reload();
      await heading(p, salesName);
      await p.waitForFunction((s) => document.querySelector<HTMLSelectElement>("header select")?.value === s, status);
    }
    // On a phone the header, switch included, fits: nothing scrolls sideways.
    await onPhone(p);
    await availability.waitFor();
    expect(await scrollsSideways(p)).toBe(false);
    await expectAccessible(p, "overview on a phone");
    // Leave the department's agent offline, as the demo starts.
    await choose("offline");
  });

  it("contacts: search by name and by phone digits; an admin merges a duplicate into a contact", long, async () => {
    const p = page();
    await signInOn(p, sales, "admin@acme.test", salesName);
    await nav(p, "Contacts");
    await heading(p, "Contacts");
    await p.getByRole("table", { name: "Contacts" }).or(p.getByText(/^No contacts yet/)).waitFor();
    await expectAccessible(p, "contacts list");

    const name = `Ada ${unique("lovelace")}`;
    const email = `${unique("ada")}@example.test`;
    const threeDigits = () => String(100 + Math.floor(Math.random() * 900));
    const phone = `+1 212 ${threeDigits()} ${threeDigits()}1`;
    const phoneDigits = phone.replace(/\D/g, "");

    // The contact, and a duplicate known only by phone (as a call would have made it).
    await p.getByRole("button", { name: "New contact" }).click();
    let form = p.getByRole("form", { name: "New contact" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Email").fill(email);
    await expectAccessible(p, "new contact dialog");
    await form.getByRole("button", { name: "Create contact" }).click();
    await heading(p, name);
    await p.getByRole("list", { name: "Handles" }).getByText(email).waitFor();
    await expectAccessible(p, "contact detail");

    await nav(p, "Contacts");
    await p.getByRole("button", { name: "New contact" }).click();
    form = p.getByRole("form", { name: "New contact" });
    await form.getByLabel("Phone").fill(phone);
    await form.getByRole("button", { name: "Create contact" }).click();
    await heading(p, `+${phoneDigits}`);

    // Search: by the name, then by the phone's digits however they are written.
    await nav(p, "Contacts");
    const search = p.getByRole("search", { name: "Search contacts" }).getByLabel("Search contacts");
    /** The list settles on exactly one row, showing `text` (the last results stay on screen while a search runs). */
    const onlyRow = (text: string) =>
      p.waitForFunction((t) => {
        const rows = [...document.querySelectorAll('table[aria-label="Contacts"] tbody tr')];
        return rows.length === 1 && rows[0]!.textContent!.includes(t);
      }, text);
    await search.fill(name);
    await onlyRow(name);
    await search.fill(`(212) ${phone.slice(7)}`);
    await onlyRow(`+${phoneDigits}`);
    await expectAccessible(p, "contacts search results");

    // The merge: from the contact that stays, pick the duplicate, review, confirm.
    await search.fill(name);
    await onlyRow(name);
    await p.getByRole("table", { name: "Contacts" }).getByRole("link", { name }).click();
    await heading(p, name);
    await p.getByRole("button", { name: "Merge a duplicate" }).click();
    const dialog = p.getByRole("dialog");
    await dialog.getByLabel("Search contacts").fill(phoneDigits);
    await dialog.getByRole("radio", { name: new RegExp(`^\\+${phoneDigits}`) }).check();
    const review = dialog.getByRole("button", { name: "Review merge" });
    await expect.poll(() => review.isEnabled()).toBe(true);
    await expectAccessible(p, "merge: pick a duplicate");
    await review.click();
    await p.getByRole("dialog", { name: "Merge these contacts?" }).waitFor();
    await expectAccessible(p, "merge: confirm");
    await p.getByRole("button", { name: "Merge contacts" }).click();
    await p.getByRole("status").filter({ hasText: "Merged. Moved here: 0 conversations, 0 calls, 0 leads, 1 handle." }).waitFor();
    const handles = p.getByRole("list", { name: "Handles" });
    await handles.getByText(`+${phoneDigits}`).waitFor();
    await handles.getByText(email).waitFor();

    // One contact is left for that phone number: the merged one.
    await nav(p, "Contacts");
    await search.fill(phoneDigits);
    await onlyRow(name);
  });
});
