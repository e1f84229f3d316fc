/**
 * Requests to addresses a tenant supplied (webhook URLs, an AI agent's `baseUrl`): the server-side request forgery
 * defence. Edit here to change which addresses are refused; every caller goes through `checkOutboundUrl` (when the
 * address is saved) and `outboundRequest` (when it is used: checked again, because DNS answers change).
 *
 * - https only. `allowHttpLocalhost` (WEBHOOKS_ALLOW_HTTP_LOCALHOST, development and tests) admits exactly the
 *   names `localhost`, `127.0.0.1` and `[::1]` (http or https) and then only loopback answers for them.
 * - The name is resolved and EVERY answer must be a public unicast address (ipaddr.js classifies them): loopback,
 *   private, link-local (the 169.254.169.254 metadata service), CGNAT, unspecified, broadcast, multicast,
 *   reserved and documentation ranges, ULA (fd00:ec2::254, AWS's IPv6 metadata), IPv6 outside 2000::/3, 6to4 and
 *   Teredo are refused; IPv4-mapped, IPv4-compatible, IPv4-translated and NAT64 (64:ff9b::/96) addresses are judged
 *   by the IPv4 address they carry.
 * - The connection goes to the address that was checked (node:http's `lookup` answers it, so no second resolution
 *   can switch it: DNS rebinding), while the Host header, TLS SNI and certificate check keep the URL's name.
 * - Redirects are never followed (a 3xx is returned as a status); the whole exchange is bounded by `timeoutMs`;
 *   at most `maxResponseBytes` of the body are read.
 *
 * node:http rather than undici: undici 8 requires Node 22.19, and this project supports Node 20.12+.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/** A URL refused by the address rules; `message` is fit to show to the person who entered it. */
export class OutboundUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundUrlError";
  }
}

/** A request that got no HTTP answer (refused connection, TLS failure, timeout); `message` is short and safe to store. */
export class OutboundRequestError extends Error {
  constructor(
    message: string,
    readonly reason: "timeout" | "connection" | "tls" | "aborted",
  ) {
    super(message);
    this.name = "OutboundRequestError";
  }
}

/** Resolves a host name to its addresses (tests pass their own; the default asks the system resolver). */
export type Resolver = (hostname: string) => Promise<string[]>;

const systemResolver: Resolver = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export interface OutboundUrlOptions {
  /** WEBHOOKS_ALLOW_HTTP_LOCALHOST: development and tests may use http://127.0.0.1, http://localhost, http://[::1]. */
  allowHttpLocalhost: boolean;
  resolver?: Resolver;
}

const localNames = new Set(["localhost", "127.0.0.1", "[::1]"]);
const MAX_URL_LENGTH = 2048;

/** Why an address is refused, or null when it is a public unicast address. */
export function refusedAddress(address: string): string | null {
  if (!ipaddr.isValid(address)) return "is not an IP address";
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    const embedded = embeddedIpv4(v6);
    if (embedded) ip = embedded;
    else {
      const range = v6.range();
      if (range !== "unicast") return describe(range);
      if (!v6.match(ipaddr.IPv6.parse("2000::"), 3)) return "is not a global unicast address";
      return null;
    }
  }
  const range = (ip as ipaddr.IPv4).range();
  return range === "unicast" ? null : describe(range);
}

/** The IPv4 address an IPv6 address stands for: mapped (::ffff:a.b.c.d), translated, compatible (::a.b.c.d), NAT64. */
function embeddedIpv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = ip.parts;
  const last = () => new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff]);
  const zero = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && p[5] === 0xffff) return last(); // ::ffff:0:0/96 (mapped)
  if (zero(0, 4) && p[4] === 0xffff && p[5] === 0) return last(); // ::ffff:0:0:0/96 (translated, RFC 6145)
  if (p[0] === 0x64 && p[1] === 0xff9b && zero(2, 6)) return last(); // 64:ff9b::/96 (NAT64, RFC 6052)
  if (zero(0, 6) && (p[6] !== 0 || p[7]! > 1)) return last(); // ::a.b.c.d (compatible; not :: or ::1)
  return null;
}

function describe(range: string): string {
  switch (range) {
    case "loopback":
      return "is a loopback address";
    case "private":
    case "uniqueLocal":
      return "is a private address";
    case "linkLocal":
      return "is a link-local address (such as a cloud metadata service)";
    case "carrierGradeNat":
      return "is a carrier-grade NAT address";
    case "unspecified":
      return "is an unspecified address";
    case "multicast":
    case "broadcast":
      return "is a multicast or broadcast address";
    default:
      return "is a reserved address";
  }
}

/** A checked URL and the address a connection to it must use. */
export interface CheckedUrl {
  url: URL;
  address: string;
  family: 4 | 6;
}

function parseUrl(raw: string): URL {
  if (raw.length > MAX_URL_LENGTH) throw new OutboundUrlError(`Use a URL of at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundUrlError("Enter a valid URL such as https://example.com/hooks");
  }
  if (url.username || url.password) throw new OutboundUrlError("The URL must not contain a user name or password");
  return url;
}

/**
 * Checks `raw` against the address rules and resolves it: the URL and the (first) address to connect to. Every
 * answer of the resolver must pass, so a name with one public and one private address is refused.
 */
export async function resolveOutboundUrl(raw: string, opts: OutboundUrlOptions): Promise<CheckedUrl> {
  const url = parseUrl(raw);
  const local = opts.allowHttpLocalhost && localNames.has(url.hostname);
  if (url.protocol !== "https:" && !(local && url.protocol === "http:")) {
    throw new OutboundUrlError(
      opts.allowHttpLocalhost ? "The URL must use https (or http on localhost)" : "The URL must use https",
    );
  }
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = await (opts.resolver ?? systemResolver)(host);
    } catch {
      throw new OutboundUrlError(`The host ${host} could not be resolved`);
    }
    if (addresses.length === 0) throw new OutboundUrlError(`The host ${host} could not be resolved`);
  }
  for (const address of addresses) {
    if (local) {
      if (!ipaddr.isValid(address) || ipaddr.parse(address).range() !== "loopback") {
        throw new OutboundUrlError(`${url.hostname} must resolve to a loopback address`);
      }
      continue;
    }
    const why = refusedAddress(address);
    if (why) {
      throw new OutboundUrlError(
        address === host ? `The URL's address ${why}` : `The host ${host} resolves to ${address}, which ${why}`,
      );
    }
  }
  const address = addresses[0]!;
  return { url, address, family: ipaddr.parse(address).kind() === "ipv6" ? 6 : 4 };
}

/** Checks a URL a tenant supplied (saved webhook URL, AI `baseUrl`); throws OutboundUrlError with a message for the user. */
export async function checkOutboundUrl(raw: string, opts: OutboundUrlOptions): Promise<URL> {
  return (await resolveOutboundUrl(raw, opts)).url;
}

export interface OutboundRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** The whole exchange: resolution, connection, request and reading the response. */
  timeoutMs: number;
  allowHttpLocalhost: boolean;
  /** Bytes of the response body read at most (default 64 KiB); past it the connection is dropped and `truncated` set. */
  maxResponseBytes?: number;
  resolver?: Resolver;
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body was longer than `maxResponseBytes`: `body` holds its first bytes only. */
  truncated: boolean;
}

// Keep-alive pools: a pooled socket is one that was opened to a checked address (the pool is keyed by the name,
// and every socket is opened through the pinned lookup), so reuse never reaches an unchecked address. As many
// sockets are kept free as may be open (the dispatcher's default perEndpoint): keeping fewer closed a burst's extra
// sockets after every burst, and each new one costs a TCP (and TLS) handshake (test/outbound-pool.test.ts).
const agentOptions = { keepAlive: true, maxSockets: 8, maxFreeSockets: 8, timeout: 30_000 };
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);

/** A `lookup` that answers the checked address whatever is asked. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * Resolves and checks `url` (OutboundUrlError when refused), then sends the request to the checked address. A 3xx
 * is an answer like any other (never followed). OutboundRequestError when no answer came within `timeoutMs`.
 */
export async function outboundRequest(rawUrl: string | URL, req: OutboundRequest): Promise<OutboundResponse> {
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
  const checked = await Promise.race([
    resolveOutboundUrl(String(rawUrl), { allowHttpLocalhost: req.allowHttpLocalhost, resolver: req.resolver }),
    new Promise<never>((_, reject) => {
      const fail = () => reject(new OutboundRequestError("Timed out resolving the host", deadline.aborted ? "timeout" : "aborted"));
      if (signal.aborted) fail();
      signal.addEventListener("abort", fail, { once: true });
    }),
  ]);
  const { url } = checked;
  const max = req.maxResponseBytes ?? 64 * 1024;
  const body = req.body === undefined ? undefined : typeof req.body === "string" ? Buffer.from(req.body) : req.body;
  const secure = url.protocol === "https:";
  const options: https.RequestOptions = {
    method: req.method,
    hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port || (secure ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    headers: { ...req.headers, ...(body ? { "content-length": String(body.byteLength) } : {}) },
    agent: secure ? httpsAgent : httpAgent,
    lookup: pinnedLookup(checked.address, checked.family),
    signal,
  };
  // A name (not an address literal) is what TLS checks the certificate against and sends as SNI.
  if (secure && !ipaddr.isValid(options.hostname!)) options.servername = options.hostname!;

  return new Promise<OutboundResponse>((resolve, reject) => {
    const request = (secure ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const finish = () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), truncated });
      res.on("data", (chunk: Buffer) => {
        if (truncated) return;
        const room = max - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size = max;
          truncated = true;
          res.destroy(); // stop reading; the socket is not returned to the pool
          finish();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on("end", finish);
      res.on("error", (err) => (truncated ? undefined : reject(failure(err, deadline))));
      res.on("close", () => (res.complete || truncated ? undefined : reject(failure(new Error("closed early"), deadline))));
    });
    request.on("error", (err) => reject(failure(err, deadline)));
    request.end(body);
  });
}

function failure(err: Error & { code?: string }, deadline: AbortSignal): OutboundRequestError {
  if (deadline.aborted) return new OutboundRequestError("Timed out waiting for the answer", "timeout");
  if (err.name === "AbortError" || err.code === "ABORT_ERR") return new OutboundRequestError("Aborted", "aborted");
  if (err.code?.startsWith("ERR_TLS") || /certificate|SSL|TLS/i.test(err.code ?? "") || /certificate/i.test(err.message)) {
    return new OutboundRequestError(`TLS failed: ${err.code ?? "handshake"}`, "tls");
  }
  return new OutboundRequestError(`Connection failed: ${err.code ?? "error"}`, "connection");
}
