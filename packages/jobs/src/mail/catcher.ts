/**
 * A development mail catcher: a real SMTP server that keeps what it receives in memory, with a web page and a
 * REST API. `pnpm start` / `pnpm dev` run it when SMTP_URL is unset (apps/api/src/cli/mail-catcher.ts); tests and
 * the rehearsal start one to read mail back (`@switchboard/jobs/mail-catcher`).
 *
 * REST (same shapes as MailDev): `GET /email` → every mail, oldest first, as
 * `{ id, to: [{ address, name }], from, subject, text, html, date, clientName }`; `GET /email/:id`;
 * `DELETE /email/all`. `GET /` is the web page.
 *
 * For failure tests: `failNext(n)` answers the next n deliveries with a temporary error (451), `holdNext()` keeps
 * the next delivery unanswered until `release()`; a held client that disconnects has delivered nothing (SMTP
 * accepts a mail only with its final 250).
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { escapeHtml } from "./templates";

export interface CaughtMail {
  id: string;
  to: { address: string; name: string }[];
  from: { address: string; name: string }[];
  subject: string;
  text: string;
  html: string | null;
  date: string;
  /** The name the client gave in EHLO (nodemailer's `name` option). */
  clientName: string;
}

export interface HeldDelivery {
  /** Resolves when a client has sent the held mail and waits for the server's answer. */
  arrived: Promise<{ clientName: string; to: string[] }>;
  /** Resolves when the held delivery ended: accepted after release(), or dropped by the client. */
  settled: Promise<"accepted" | "dropped">;
  release(): void;
}

export interface MailCatcher {
  smtpPort: number;
  smtpUrl: string;
  /** The web page and REST API; null when started without one. */
  uiUrl: string | null;
  messages(): CaughtMail[];
  /** The first mail (already received or arriving within `timeoutMs`) to that address or matching `match`. */
  waitFor(match: string | ((m: CaughtMail) => boolean), timeoutMs?: number): Promise<CaughtMail>;
  clear(): void;
  failNext(count?: number): void;
  holdNext(): HeldDelivery;
  close(): Promise<void>;
}

export interface MailCatcherOptions {
  /** SMTP port; 0 (default) picks a free one. */
  smtpPort?: number;
  /** Web page and REST port; 0 picks a free one; null (default) runs none. */
  uiPort?: number | null;
  host?: string;
  /** Mails kept (oldest dropped first). */
  limit?: number;
}

const listen = (server: { listen(port: number, host: string, cb: () => void): unknown; once(e: "error", cb: (err: Error) => void): unknown }, port: number, host: string) =>
  new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = options.host ?? "127.0.0.1";
  const limit = options.limit ?? 500;
  const mails: CaughtMail[] = [];
  const waiters = new Set<() => void>();
  const closed = new Set<string>();
  let failures = 0;
  const holds: { arrived: (v: { clientName: string; to: string[] }) => void; settled: (v: "accepted" | "dropped") => void; released: Promise<void> }[] = [];

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 10 * 1024 * 1024,
    onClose(session) {
      closed.add(session.id);
    },
    onData(stream, session, callback) {
      void (async () => {
        const raw: Buffer[] = [];
        for await (const chunk of stream) raw.push(chunk as Buffer);
        const to = session.envelope.rcptTo.map((r) => r.address);
        if (failures > 0) {
          failures--;
          return callback(Object.assign(new Error("Temporary failure (mail catcher failNext)"), { responseCode: 451 }));
        }
        const hold = holds.shift();
        if (hold) {
          hold.arrived({ clientName: session.hostNameAppearsAs, to });
          await Promise.race([hold.released, until(() => closed.has(session.id))]);
          if (closed.has(session.id)) {
            hold.settled("dropped");
            return;
          }
          hold.settled("accepted");
        }
        const parsed = await simpleParser(Buffer.concat(raw));
        const addresses = (field: typeof parsed.to) =>
          (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => ({ address: v.address ?? "", name: v.name })));
        mails.push({
          id: randomUUID(),
          to: addresses(parsed.to),
          from: addresses(parsed.from),
          subject: parsed.subject ?? "",
          text: parsed.text ?? "",
          html: parsed.html === false ? null : (parsed.html ?? null),
          date: new Date().toISOString(),
          clientName: session.hostNameAppearsAs,
        });
        if (mails.length > limit) mails.shift();
        for (const w of waiters) w();
        callback();
      })().catch((err: Error) => callback(err));
    },
  });
  await listen(smtp, options.smtpPort ?? 0, host);
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  let ui: Server | null = null;
  if (options.uiPort !== undefined && options.uiPort !== null) {
    ui = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://catcher");
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      };
      if (req.method === "GET" && url.pathname === "/email") return json(200, mails);
      if (req.method === "DELETE" && url.pathname === "/email/all") {
        mails.length = 0;
        return json(200, true);
      }
      const one = /^\/email\/([\w-]+)(\/html)?$/.exec(url.pathname);
      if (req.method === "GET" && one) {
        const mail = mails.find((m) => m.id === one[1]);
        if (!mail) return json(404, { error: "not found" });
        if (!one[2]) return json(200, mail);
        // A mail's own HTML, shown in a sandboxed frame on the page (no scripts, no same-origin access).
        res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'" });
        return res.end(mail.html ?? `<pre>${escapeHtml(mail.text)}</pre>`);
      }
      if (req.method === "GET" && url.pathname === "/") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'none'; frame-src 'self'; style-src 'unsafe-inline'" });
        return res.end(page(mails));
      }
      json(404, { error: "not found" });
    });
    await listen(ui, options.uiPort, host);
  }
  const uiPort = ui ? (ui.address() as AddressInfo).port : null;
  const displayHost = host === "0.0.0.0" || host === "127.0.0.1" ? "localhost" : host;

  return {
    smtpPort,
    smtpUrl: `smtp://${host === "0.0.0.0" ? "127.0.0.1" : host}:${smtpPort}`,
    uiUrl: uiPort === null ? null : `http://${displayHost}:${uiPort}`,
    messages: () => [...mails],
    waitFor(match, timeoutMs = 10_000) {
      const test = typeof match === "string" ? (m: CaughtMail) => m.to.some((t) => t.address.toLowerCase() === match.toLowerCase()) : match;
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = mails.find(test);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no mail ${typeof match === "string" ? `to ${match} ` : ""}within ${timeoutMs} ms (${mails.length} received)`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    clear: () => {
      mails.length = 0;
    },
    failNext(count = 1) {
      failures += count;
    },
    holdNext() {
      let arrived!: HeldDelivery["arrived"] extends Promise<infer T> ? (v: T) => void : never;
      let settled!: (v: "accepted" | "dropped") => void;
      let release!: () => void;
      const held: HeldDelivery = {
        arrived: new Promise((r) => (arrived = r)),
        settled: new Promise((r) => (settled = r)),
        release: () => release(),
      };
      holds.push({ arrived, settled, released: new Promise<void>((r) => (release = r)) });
      return held;
    },
    async close() {
      await new Promise<void>((r) => smtp.close(() => r()));
      if (ui) {
        ui.closeAllConnections();
        await new Promise<void>((r) => ui!.close(() => r()));
      }
    },
  };
}

/** Resolves once `done()` holds (checked every 50 ms). */
function until(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!done()) return;
      clearInterval(timer);
      resolve();
    }, 50);
  });
}

function page(mails: CaughtMail[]): string {
  const rows = [...mails]
    .reverse()
    .map(
      (m) => `<details><summary><b>${escapeHtml(m.subject)}</b> → ${escapeHtml(m.to.map((t) => t.address).join(", "))} <small>${escapeHtml(m.date)}</small></summary>
<pre>${escapeHtml(m.text)}</pre>${m.html ? `<iframe src="/email/${m.id}/html" sandbox title="HTML part"></iframe>` : ""}</details>`,
    )
    .join("\n");
  return `<!doctype html><html><head><meta charset="utf-8"><title>Switchboard mail catcher</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#18181b}details{border:1px solid #e4e4e7;border-radius:6px;padding:8px 12px;margin:8px 0}
summary{cursor:pointer}pre{white-space:pre-wrap;background:#f4f4f5;padding:12px;border-radius:4px}iframe{width:100%;height:480px;border:1px solid #e4e4e7}</style></head>
<body><h1>Mail catcher</h1><p>${mails.length} mail(s), newest first. Reload to refresh. JSON: <a href="/email">/email</a></p>
${rows || "<p>Nothing received yet.</p>"}</body></html>`;
}
