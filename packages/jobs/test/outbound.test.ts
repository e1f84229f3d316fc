// The outbound address rules (SSRF defence) and the pinned request: refused addresses of every kind, URLs checked
// after resolution, DNS rebinding defeated by connecting to the checked address, no redirects, a deadline, a cap.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOutboundUrl, OutboundRequestError, outboundRequest, OutboundUrlError, refusedAddress, type Resolver } from "../src/index";

const servers: http.Server[] = [];
async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const answers = (table: Record<string, string[]>): Resolver => async (host) => {
  const a = table[host];
  if (!a) throw new Error("ENOTFOUND");
  return a;
};
const strict = { allowHttpLocalhost: false };
const local = { allowHttpLocalhost: true };

describe("refusedAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["192.0.2.10", "reserved"],
    ["240.0.0.1", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fc00::1", "private"],
    ["fd00:ec2::254", "private"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:0:10.0.0.1", "private"],
    ["::127.0.0.1", "loopback"],
    ["64:ff9b::10.0.0.1", "private"],
    ["64:ff9b::169.254.169.254", "link-local"],
    ["64:ff9b:1::1", "reserved"],
    ["2002:7f00:1::", "reserved"],
    ["2001:0:4136:e378::1", "reserved"],
    ["3fff::1", "reserved"],
    ["4000::1", "global unicast"],
  ])("%s is refused (%s)", (address, kind) => {
    expect(refusedAddress(address)).toContain(kind);
  });

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8"])(
    "%s is a public address",
    (address) => {
      expect(refusedAddress(address)).toBeNull();
    },
  );
});

describe("checkOutboundUrl", () => {
  const resolver = answers({
    "hooks.example.com": ["93.184.216.34", "2606:2800:220:1::1"],
    "internal.example.com": ["10.1.2.3"],
    "mixed.example.com": ["93.184.216.34", "127.0.0.1"],
    "metadata.example.com": ["169.254.169.254"],
    "mapped.example.com": ["::ffff:127.0.0.1"],
    localhost: ["127.0.0.1", "::1"],
  });

  it("accepts https to a name whose every address is public", async () => {
    expect((await checkOutboundUrl("https://hooks.example.com/in?x=1", { ...strict, resolver })).href).toBe("https://hooks.example.com/in?x=1");
  });

  it.each([
    ["http://hooks.example.com/", "must use https"],
    ["ftp://hooks.example.com/", "must use https"],
    ["not a url", "valid URL"],
    ["https://user:pw@hooks.example.com/", "user name or password"],
    ["https://127.0.0.1/", "loopback"],
    ["https://2130706433/", "loopback"],
    ["https://0x7f.1/", "loopback"],
    ["https://[::1]/", "loopback"],
    ["https://[::ffff:127.0.0.1]/", "loopback"],
    ["https://169.254.169.254/latest/meta-data/", "link-local"],
    ["https://[fd00:ec2::254]/", "private"],
    ["https://internal.example.com/", "resolves to 10.1.2.3, which is a private address"],
    ["https://mixed.example.com/", "resolves to 127.0.0.1, which is a loopback address"],
    ["https://metadata.example.com/", "link-local"],
    ["https://mapped.example.com/", "loopback"],
    ["https://nowhere.example.com/", "could not be resolved"],
    [`https://hooks.example.com/${"a".repeat(2100)}`, "at most 2048"],
  ])("refuses %s", async (url, message) => {
    const err = await checkOutboundUrl(url, { ...strict, resolver }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundUrlError);
    expect((err as Error).message).toContain(message);
  });

  it("WEBHOOKS_ALLOW_HTTP_LOCALHOST admits exactly localhost, 127.0.0.1 and [::1], and only as loopback", async () => {
    for (const url of ["http://127.0.0.1:8080/x", "http://localhost:9/", "http://[::1]:3000/", "https://127.0.0.1/"]) {
      expect((await checkOutboundUrl(url, { ...local, resolver })).href).toBe(new URL(url).href);
      await expect(checkOutboundUrl(url, { ...strict, resolver })).rejects.toBeInstanceOf(OutboundUrlError);
    }
    for (const url of ["http://10.0.0.1/", "http://127.0.0.2/", "http://hooks.example.com/", "http://169.254.169.254/", "https://internal.example.com/"]) {
      await expect(checkOutboundUrl(url, { ...local, resolver })).rejects.toBeInstanceOf(OutboundUrlError);
    }
    const rebound = answers({ localhost: ["10.0.0.5"] });
    await expect(checkOutboundUrl("http://localhost/", { ...local, resolver: rebound })).rejects.toThrow("must resolve to a loopback address");
  });
});

describe("outboundRequest", () => {
  let base: string;
  let hits: { method?: string; url?: string; host?: string; body: string }[];
  let port: string;
  beforeAll(async () => {
    hits = [];
    base = await serve((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        hits.push({ method: req.method, url: req.url, host: req.headers.host, body });
        if (req.url === "/redirect") {
          res.writeHead(302, { location: "/target" }).end();
        } else if (req.url === "/slow") {
          // never answers
        } else if (req.url === "/big") {
          res.writeHead(200).end("x".repeat(200_000));
        } else {
          res.writeHead(201, { "x-seen": "yes" }).end(`ok ${body}`);
        }
      });
    });
    port = new URL(base).port;
  });

  it("sends the request and returns status, headers and body", async () => {
    const res = await outboundRequest(`${base}/in?q=1`, { method: "POST", body: "hello", headers: { "content-type": "text/plain" }, timeoutMs: 5000, ...local });
    expect(res).toMatchObject({ status: 201, body: "ok hello", truncated: false });
    expect(res.headers["x-seen"]).toBe("yes");
    expect(hits.at(-1)).toMatchObject({ method: "POST", url: "/in?q=1", body: "hello" });
  });

  it("never follows a redirect: a 3xx is the answer", async () => {
    const before = hits.length;
    const res = await outboundRequest(`${base}/redirect`, { method: "POST", body: "{}", timeoutMs: 5000, ...local });
    expect(res.status).toBe(302);
    expect(hits.slice(before).map((h) => h.url)).toEqual(["/redirect"]);
  });

  it("gives up at the deadline", async () => {
    const started = Date.now();
    const err = await outboundRequest(`${base}/slow`, { method: "POST", body: "{}", timeoutMs: 300, ...local }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundRequestError);
    expect((err as OutboundRequestError).reason).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("reads at most maxResponseBytes of the body", async () => {
    const res = await outboundRequest(`${base}/big`, { method: "GET", timeoutMs: 5000, maxResponseBytes: 1000, ...local });
    expect(res).toMatchObject({ status: 200, truncated: true });
    expect(res.body).toHaveLength(1000);
  });

  it("refuses at send time what the rules refuse, without connecting", async () => {
    const before = hits.length;
    await expect(outboundRequest(`${base}/in`, { method: "POST", body: "{}", timeoutMs: 5000, ...strict })).rejects.toBeInstanceOf(OutboundUrlError);
    await expect(
      outboundRequest(`http://[::ffff:127.0.0.1]:${port}/in`, { method: "POST", body: "{}", timeoutMs: 5000, ...local }),
    ).rejects.toBeInstanceOf(OutboundUrlError);
    await expect(outboundRequest("https://169.254.169.254/latest/meta-data/", { method: "GET", timeoutMs: 5000, ...strict })).rejects.toThrow("link-local");
    const resolver = answers({ "internal.example.com": ["10.0.0.7"] });
    await expect(outboundRequest("https://internal.example.com/", { method: "GET", timeoutMs: 5000, ...strict, resolver })).rejects.toThrow(
      "private address",
    );
    expect(hits.length).toBe(before);
  });

  it("connects to the address it checked: a resolver that changes its answer (DNS rebinding) is asked once", async () => {
    let asked = 0;
    // First answer loopback (allowed for localhost here), every later one a private address: were the name resolved
    // again at connection time, the request would go to 10.255.255.1 and fail.
    const rebinding: Resolver = async () => (++asked === 1 ? ["127.0.0.1"] : ["10.255.255.1"]);
    const before = hits.length;
    const res = await outboundRequest(`http://localhost:${port}/pinned`, { method: "POST", body: "x", timeoutMs: 3000, ...local, resolver: rebinding });
    expect(res.status).toBe(201);
    expect(asked).toBe(1);
    expect(hits.slice(before)).toMatchObject([{ url: "/pinned", host: `localhost:${port}` }]);
  });
});
