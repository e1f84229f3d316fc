// The worker in the API process: on by default and sending through SMTP_URL (a real SMTP server, read back),
// off with WORKER=false, and production refusing to run it without a mail server.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { enqueue, renderMail } from "@switchboard/jobs";
import { type MailCatcher, startMailCatcher } from "@switchboard/jobs/mail-catcher";
import { loadEnv } from "../src/env";
import { mailDescription, startWorker } from "../src/worker";

let t: TestDatabase;
let catcher: MailCatcher;
const log = pino({ level: "silent" });

beforeAll(async () => {
  t = await createTestDatabase();
  catcher = await startMailCatcher({});
});
afterAll(async () => {
  await catcher?.close();
  await t?.close();
});

describe("the worker in the API process", () => {
  it("runs by default and sends queued mail through SMTP_URL from MAIL_FROM", async () => {
    const env = loadEnv({ SMTP_URL: catcher.smtpUrl, MAIL_FROM: "Acme Care <care@acme.test>", ...(t.appUrl ? { DATABASE_URL: t.appUrl } : {}) });
    expect(env.worker).toBe(true);
    const worker = await startWorker(env, t.app, log);
    try {
      // What queueEmail does: the rendered row and its job in one transaction.
      const r = renderMail({ template: "password-reset", to: "ada@worker.test", name: "Ada", link: "http://localhost:3000/reset-password?token=abc" });
      await withScope(t.app, {}, async (tx) => {
        const [row] = await tx.insert(emailOutbox).values({ kind: "password-reset", to: "ada@worker.test", subject: r.subject, body: r.text, html: r.html }).returning();
        await enqueue(tx, "mail.send", { outboxId: row!.id, tenantId: null });
      });
      const mail = await catcher.waitFor("ada@worker.test", 15_000);
      expect(mail.subject).toBe("Reset your Switchboard password");
      expect(mail.from).toEqual([{ address: "care@acme.test", name: "Acme Care" }]);
    } finally {
      await worker!.stop(2000);
    }
  });

  it("is off with WORKER=false", async () => {
    expect(await startWorker(loadEnv({ WORKER: "false", SMTP_URL: catcher.smtpUrl }), t.app, log)).toBeNull();
  });

  it("production needs SMTP_URL wherever the worker runs", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(() => loadEnv({ NODE_ENV: "production", ENCRYPTION_KEY: key })).toThrow(/SMTP_URL: required when NODE_ENV=production/);
    expect(loadEnv({ NODE_ENV: "production", ENCRYPTION_KEY: key, WORKER: "false" }).worker).toBe(false);
    expect(() => loadEnv({ SMTP_URL: "http://mail.example.com" })).toThrow(/SMTP_URL/);
    expect(() => loadEnv({ MAIL_FROM: "not an address" })).toThrow(/MAIL_FROM/);
  });

  it("the banner names the mail server without its credentials", () => {
    expect(mailDescription(loadEnv({ SMTP_URL: "smtps://user:secret@smtp.example.com:465" }))).toBe(
      "smtps://smtp.example.com:465 as Switchboard <no-reply@localhost>",
    );
    expect(mailDescription(loadEnv({}))).toBe("SMTP_URL unset: mail stays queued");
  });
});
