import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, unique, url, useBrowser } from "./browser";

describeInBrowser("signing up and in", () => {
  const page = useBrowser();

  it("shows the server's message on the field it rejected", async () => {
    const p = page();
    await p.goto(url(null, "/sign-up"));
    const form = p.getByRole("form", { name: "Create account" });
    await form.getByLabel("Name").fill("Shorty");
    await form.getByLabel("Email").fill(`${unique("short")}@example.test`);
    await form.getByLabel("Password").fill("short");
    await form.getByRole("button", { name: "Create account" }).click();

    await form.getByText("Use at least 10 characters").waitFor();
    expect(await form.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Email").getAttribute("aria-invalid")).toBeNull();
    await expectAccessible(p, "sign up with a field error");
    expect(new URL(p.url()).pathname).toBe("/sign-up");
  });

  it("wrong credentials are refused without saying which part was wrong", async () => {
    const p = page();
    await p.goto(url("acme", "/sign-in"));
    const form = p.getByRole("form", { name: "Sign in" });
    await form.getByLabel("Email").fill("owner@acme.test");
    await form.getByLabel("Password").fill("not-the-password");
    await form.getByRole("button", { name: "Sign in" }).click();
    await form.getByRole("alert").waitFor();
    expect(await form.getByRole("alert").textContent()).toMatch(/\S/);
    await expectAccessible(p, "sign in refused");
    expect(new URL(p.url()).pathname).toBe("/sign-in");
  });
});
