/**
 * A local stand-in for Twilio's Messages API for tests (`@switchboard/jobs/fake-twilio`), on http://127.0.0.1 (point
 * TWILIO_API_BASE_URL at `baseUrl`). It answers `POST /2010-04-01/Accounts/<AccountSid>/Messages.json` as Twilio
 * does — 201 with the message resource (`sid`, `status: "queued"`…) as JSON — and checks the request on the way:
 * HTTP Basic `AccountSid:AuthToken` of a known account (else 401 with Twilio's error 20003), a form body with `To`,
 * `Body` and exactly one of `From` / `MessagingServiceSid`, E.164 numbers with a matching `whatsapp:` prefix on both
 * sides, an http(s) `StatusCallback`. A malformed request gets Twilio's 400 error JSON (`code`, `message`,
 * `more_info`, `status`) and is listed in `problems()`; `To` numbers in `invalidNumbers` get Twilio's 21211 like a
 * real bad number (not a problem of the request's shape).
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeTwilioRequest {
  accountSid: string;
  form: Record<string, string>;
  /** The SID answered (201 only). */
  sid: string | null;
  status: number;
}

export interface FakeTwilioOptions {
  /** Accounts and their auth tokens. */
  accounts: Record<string, string>;
  /** `To` numbers Twilio refuses as invalid (error 21211). */
  invalidNumbers?: string[];
  /** The port on 127.0.0.1 (default: any free one); e2e gives the one TWILIO_API_BASE_URL of the API names. */
  port?: number;
}

export interface FakeTwilio {
  /** `http://127.0.0.1:<port>`: TWILIO_API_BASE_URL. */
  baseUrl: string;
  requests(): FakeTwilioRequest[];
  problems(): string[];
  /** The next `times` requests get this HTTP status (Twilio's error body). */
  failNext(status: number, times?: number): void;
  /** The next request gets no answer until the server closes (a Twilio that hangs). */
  hangNext(): void;
  close(): Promise<void>;
}

const e164 = /^\+[1-9]\d{1,14}$/;

function twilioError(res: http.ServerResponse, status: number, code: number, message: string) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

function formProblems(form: Record<string, string>, keys: string[]): string[] {
  const problems: string[] = [];
  const known = new Set(["To", "From", "MessagingServiceSid", "Body", "StatusCallback"]);
  for (const k of keys) if (!known.has(k)) problems.push(`unexpected field ${k}`);
  if (new Set(keys).size !== keys.length) problems.push("a field is repeated");
  if (!form.Body) problems.push("Body missing");
  if (form.From === undefined === (form.MessagingServiceSid === undefined)) problems.push("exactly one of From and MessagingServiceSid");
  const whatsapp = (v: string | undefined) => v?.startsWith("whatsapp:") ?? false;
  const number = (v: string) => v.replace(/^whatsapp:/, "");
  if (!form.To || !e164.test(number(form.To))) problems.push(`To ${form.To ?? "missing"} is not E.164`);
  if (form.From !== undefined) {
    if (!e164.test(number(form.From))) problems.push(`From ${form.From} is not E.164`);
    if (whatsapp(form.From) !== whatsapp(form.To)) problems.push("From and To must both be whatsapp: or neither");
  }
  if (form.MessagingServiceSid !== undefined && !/^MG[0-9a-f]{32}$/.test(form.MessagingServiceSid)) problems.push("MessagingServiceSid malformed");
  if (!form.StatusCallback || !/^https?:\/\/[^/]+\/\S*$/.test(form.StatusCallback)) problems.push("StatusCallback missing or not a URL");
  return problems;
}

export async function startFakeTwilio(opts: FakeTwilioOptions): Promise<FakeTwilio> {
  const requests: FakeTwilioRequest[] = [];
  const problems: string[] = [];
  const failures: number[] = [];
  let hang = false;
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const path = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(req.url ?? "");
      if (req.method !== "POST" || !path) {
        problems.push(`${req.method} ${req.url}`);
        return twilioError(res, 404, 20404, "The requested resource was not found");
      }
      const accountSid = path[1]!;
      const [scheme, credentials] = (req.headers.authorization ?? "").split(" ");
      const [user, token] = Buffer.from(credentials ?? "", "base64").toString("utf8").split(":");
      if (scheme !== "Basic" || user !== accountSid || opts.accounts[accountSid] === undefined || opts.accounts[accountSid] !== token) {
        problems.push("authentication failed");
        return twilioError(res, 401, 20003, "Authenticate");
      }
      if (!String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
        problems.push("content-type is not a form");
        return twilioError(res, 400, 20001, "Bad request");
      }
      const params = [...new URLSearchParams(raw)];
      const form = Object.fromEntries(params);
      const record = (status: number, sid: string | null = null) => requests.push({ accountSid, form, sid, status });
      if (hang) {
        hang = false;
        record(0);
        hanging.add(res);
        return;
      }
      const failing = failures.shift();
      if (failing !== undefined) {
        record(failing);
        return twilioError(res, failing, failing === 429 ? 20429 : 20500, failing === 429 ? "Too Many Requests" : "Internal Server Error");
      }
      const shape = formProblems(form, params.map(([k]) => k));
      if (shape.length) {
        problems.push(...shape);
        record(400);
        return twilioError(res, 400, 21604, shape.join("; "));
      }
      if (opts.invalidNumbers?.includes(form.To!.replace(/^whatsapp:/, ""))) {
        record(400);
        return twilioError(res, 400, 21211, `The 'To' number ${form.To} is not a valid phone number.`);
      }
      const sid = `SM${randomBytes(16).toString("hex")}`;
      record(201, sid);
      const now = new Date().toUTCString();
      res.writeHead(201, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          account_sid: accountSid,
          api_version: "2010-04-01",
          body: form.Body,
          date_created: now,
          date_sent: null,
          date_updated: now,
          direction: "outbound-api",
          error_code: null,
          error_message: null,
          from: form.From ?? null,
          messaging_service_sid: form.MessagingServiceSid ?? null,
          num_media: "0",
          num_segments: "1",
          price: null,
          price_unit: "USD",
          sid,
          status: form.MessagingServiceSid ? "accepted" : "queued",
          to: form.To,
          uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
        }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests: () => [...requests],
    problems: () => [...problems],
    failNext(status, times = 1) {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    hangNext() {
      hang = true;
    },
    close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
