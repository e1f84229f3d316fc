import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, port, secondBrowser, signIn, signInFormShown, signUp, unique, url, useBrowser } from "./browser";
import { countMail, linkIn, waitForMail } from "./mail";

describeInBrowser("password reset", () => {
  const page = useBrowser();

  it("forgot password → mailed link → new password; every old session ends, the old password and the link stop working", async () => {
    const p = page();
    const email = `${unique("reset")}@example.test`;
    const oldPassword = "the old long password";
    const newPassword = "a fresh and long password";

    await p.goto(url(null, "/sign-up"));
    await signUp(p, { name: "Rita Reset", email, password: oldPassword });
    await p.getByText("You are not a member of any tenant yet").waitFor();

    // Another device signed in before the reset.
    const other = await secondBrowser();
    try {
      await other.page.goto(url(null, "/sign-in"));
      await signIn(other.page, email, oldPassword);
      await other.page.getByText("You are not a member of any tenant yet").waitFor();

      // Signed out, from the sign-in page: "Forgot your password?".
      await p.context().clearCookies();
      await p.goto(url(null, "/sign-in"));
      await p.getByRole("link", { name: "Forgot your password?" }).click();
      const form = p.getByRole("form", { name: "Reset password" });
      await form.getByLabel("Email").fill(email);
      await form.getByRole("button", { name: "Email me a link" }).click();
      await p.getByRole("status").filter({ hasText: `If an account exists for ${email}` }).waitFor();
      await expectAccessible(p, "forgot password sent");

      const mail = await waitForMail(email, /reset your switchboard password/i);
      const link = linkIn(mail, "/reset-password");
      expect(new URL(link).host).toBe(`localhost:${port}`);
      await p.goto(link);
      const reset = p.getByRole("form", { name: "Choose a new password" });
      await expectAccessible(p, "choose a new password");
      await reset.getByLabel("New password", { exact: true }).fill(newPassword);
      await reset.getByLabel("Repeat the new password").fill(newPassword);
      await reset.getByRole("button", { name: "Set new password" }).click();
      await p.waitForURL((u) => u.pathname === "/sign-in");
      await p.getByRole("status").filter({ hasText: "Your password has been changed" }).waitFor();
      await expectAccessible(p, "sign in after a reset");

      // The other device's session is gone: its next page load asks it to sign in.
      await other.page.reload();
      await other.page.waitForURL((u) => u.pathname === "/sign-in");
      expect(await signInFormShown(other.page)).toBe(true);

      // The old password no longer works; the new one does.
      await signIn(p, email, oldPassword);
      await p.getByRole("form", { name: "Sign in" }).getByRole("alert").waitFor();
      await signIn(p, email, newPassword);
      await p.getByText("You are not a member of any tenant yet").waitFor();

      // The link was single use.
      await p.goto(link);
      const again = p.getByRole("form", { name: "Choose a new password" });
      await again.getByLabel("New password", { exact: true }).fill("yet another long password");
      await again.getByLabel("Repeat the new password").fill("yet another long password");
      await again.getByRole("button", { name: "Set new password" }).click();
      await again.getByRole("alert").waitFor();
      expect(new URL(p.url()).pathname).toBe("/reset-password");
    } finally {
      await other.close();
    }
  });

  it("answers the same for an address without an account, and mails nothing", async () => {
    const p = page();
    const nobody = `${unique("nobody")}@example.test`;
    await p.goto(url(null, "/forgot-password"));
    const form = p.getByRole("form", { name: "Reset password" });
    await form.getByLabel("Email").fill(nobody);
    await form.getByRole("button", { name: "Email me a link" }).click();
    await p.getByRole("status").filter({ hasText: `If an account exists for ${nobody}` }).waitFor();
    // Mail goes out through a job: give it the time a real one takes before concluding none was sent.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await countMail(nobody, /./)).toBe(0);
  });
});
