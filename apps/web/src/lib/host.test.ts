import { describe, expect, it } from "vitest";
import { hostUrl, parseHost } from "./host";

describe("parseHost", () => {
  it.each([
    ["localhost", null, "localhost"],
    ["acme.localhost", "acme", "localhost"],
    ["ACME-Sales.localhost", "acme-sales", "localhost"],
    ["acme.app.example.com", "acme", "app.example.com"],
    ["app.example.com", null, "app.example.com"],
    ["www.example.com", null, "www.example.com"],
    ["example.com", null, "example.com"],
    ["127.0.0.1", null, "127.0.0.1"],
    ["[::1]", null, "[::1]"],
  ])("%s → tenant %s under %s", (hostname, tenantSlug, baseDomain) => {
    expect(parseHost(hostname)).toEqual({ tenantSlug, baseDomain });
  });

  it("uses a configured base domain exactly", () => {
    expect(parseHost("acme.example.com", "example.com")).toEqual({ tenantSlug: "acme", baseDomain: "example.com" });
    expect(parseHost("example.com", "example.com")).toEqual({ tenantSlug: null, baseDomain: "example.com" });
    expect(parseHost("app.example.com", "app.example.com")).toEqual({ tenantSlug: null, baseDomain: "app.example.com" });
    // Two labels deep is not a tenant host.
    expect(parseHost("a.b.example.com", "example.com")).toEqual({ tenantSlug: null, baseDomain: "example.com" });
  });
});

describe("hostUrl", () => {
  const info = { tenantSlug: "acme", baseDomain: "localhost" };
  it("keeps the page's scheme and port", () => {
    expect(hostUrl("globex", info, { protocol: "http:", port: "5173" })).toBe("http://globex.localhost:5173/");
    expect(hostUrl(null, info, { protocol: "https:", port: "" }, "/sign-in")).toBe("https://localhost/sign-in");
  });
});
