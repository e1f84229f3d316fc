import { expect, it } from "vitest";
import { expectAccessible } from "./accessibility";
import { describeInBrowser, openSecurity, secondBrowser, signIn, signUp, unique, url, useBrowser } from "./browser";

describeInBrowser("sessions", () => {
  const page = useBrowser();

  it("lists where the account is signed in; one session or every other one can be signed out", async () => {
    const p = page();
    const email = `${unique("sessions")}@example.test`;
    const password = "a long enough password";
    await p.goto(url(null, "/sign-up"));
    await signUp(p, { name: "Sid Sessions", email, password });
    await p.getByText("You are not a member of any tenant yet").waitFor();

    const other = await secondBrowser();
    try {
      const signInOther = async () => {
        await other.page.goto(url(null, "/sign-in"));
        await signIn(other.page, email, password);
        await other.page.getByText("You are not a member of any tenant yet").waitFor();
      };
      const otherIsSignedOut = async () => {
        await other.page.reload();
        await other.page.waitForURL((u) => u.pathname === "/sign-in");
      };
      await signInOther();

      await openSecurity(p);
      const table = p.getByRole("table", { name: "Sessions" });
      await table.getByRole("row").nth(2).waitFor();
      expect(await table.getByRole("row").count()).toBe(3); // the header and two sessions
      expect(await table.getByText("This browser").count()).toBe(1);
      await expectAccessible(p, "security: sessions");

      // One session: the other browser's.
      await table.getByRole("button", { name: /^Sign out session/ }).click();
      await table.getByRole("button", { name: /^Sign out session/ }).waitFor({ state: "detached" });
      expect(await table.getByRole("row").count()).toBe(2);
      await otherIsSignedOut();

      // Every other session, this one kept.
      await signInOther();
      await p.reload();
      await table.getByRole("row").nth(2).waitFor();
      await p.getByRole("button", { name: "Sign out everywhere else" }).click();
      await p.getByRole("status").filter({ hasText: "Every other session has been signed out." }).waitFor();
      await otherIsSignedOut();
      await p.reload();
      await table.getByText("This browser").waitFor();
      expect(await table.getByRole("row").count()).toBe(2);

      const log = p.getByRole("table", { name: "Security log" });
      await log.getByRole("row").filter({ hasText: "Session signed out" }).first().waitFor();
      await log.getByRole("row").filter({ hasText: "Signed out everywhere else" }).first().waitFor();
    } finally {
      await other.close();
    }
  });
});
