import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, heading, nav, signInOn, unique, url, useBrowser } from "./browser";

const brandOf = (p: Page) =>
  p.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--brand").trim());

describeInBrowser("branding", () => {
  const page = useBrowser();

  it("an owner changes the primary color in Settings and the whole UI follows, after a reload too", async () => {
    const p = page();
    // A tenant of its own, so other journeys keep the demo colors.
    await p.goto(url(null, "/sign-up"));
    const form = p.getByRole("form", { name: "Create account" });
    await form.getByLabel("Name").fill("Bree Brand");
    await form.getByLabel("Email").fill(`${unique("brand")}@example.test`);
    await form.getByLabel("Password").fill("a long enough password");
    await form.getByRole("button", { name: "Create account" }).click();
    const t = { name: `Brand ${unique("co")}`, slug: unique("brand") };
    const create = p.getByRole("form", { name: "Create tenant" });
    await create.getByLabel("Tenant name").fill(t.name);
    await create.getByLabel("Address").fill(t.slug);
    await create.getByRole("button", { name: "Create tenant" }).click();
    await p.getByRole("button", { name: `Open ${t.name}` }).click();
    await heading(p, t.name);
    expect(await brandOf(p)).toBe("#4f46e5");

    await nav(p, "Settings");
    const branding = p.getByRole("form", { name: "Branding" });
    // The server's message for a value it refuses, on that field.
    await branding.getByLabel("Logo URL").fill("http://insecure.example/logo.png");
    await branding.getByRole("button", { name: "Save branding" }).click();
    await branding.getByText("Use an https:// URL").waitFor();
    await expectAccessible(p, "settings: branding with a field error");
    await branding.getByLabel("Logo URL").fill("");

    await branding.getByLabel("Primary color").fill("#0f766e");
    await branding.getByLabel("Display name").fill("Teal Care");
    await branding.getByRole("button", { name: "Save branding" }).click();
    await p.getByTestId("brand-name").filter({ hasText: "Teal Care" }).waitFor();
    expect(await brandOf(p)).toBe("#0f766e");
    // A primary button really is painted in the new color (once the pointer is off it: hovered, it is darker, and
    // the color transitions back).
    await p.mouse.move(0, 0);
    const save = p.getByRole("button", { name: "Save branding" });
    await expect.poll(() => save.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(15, 118, 110)");
    await expectAccessible(p, "settings in a custom brand color");

    await p.reload();
    await p.getByTestId("brand-name").filter({ hasText: "Teal Care" }).waitFor();
    await p.waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue("--brand").trim() === "#0f766e");
  });

  it("another tenant keeps its own color", async () => {
    const p = page();
    await signInOn(p, "globex", "owner@globex.test", "Globex");
    await p.waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue("--brand").trim() !== "");
    expect(await brandOf(p)).not.toBe("#0f766e");
    await expectAccessible(p, "overview (globex)");
  });
});
