// How traffic reaches the API: Ingress or HTTPRoute for the bare domain and every tenant subdomain, with
// Server-Sent Events kept open and unbuffered.
import { describe, expect, it } from "vitest";
import { FULLNAME, MINIMAL, one, render } from "./helpers/chart.js";

const gateway = { ingress: { enabled: false }, httpRoute: { enabled: true, parentRefs: [{ name: "public", namespace: "gw" }] } };

describe("Ingress", () => {
  it("serves the bare domain (tenant picker) and the wildcard (tenants) through the API Service", async () => {
    const ingress = one(await render({ files: MINIMAL }), "Ingress");
    expect(ingress.apiVersion).toBe("networking.k8s.io/v1");
    expect(ingress.spec.ingressClassName).toBe("nginx");
    expect(ingress.spec.rules.map((r: any) => r.host)).toEqual(["app.example.com", "*.app.example.com"]);
    for (const rule of ingress.spec.rules) {
      expect(rule.http.paths).toEqual([
        { path: "/", pathType: "Prefix", backend: { service: { name: FULLNAME, port: { name: "http" } } } },
      ]);
    }
  });

  it("terminates TLS for both names with one wildcard secret named in values", async () => {
    const byDefault = one(await render({ files: MINIMAL }), "Ingress");
    expect(byDefault.spec.tls).toEqual([{ hosts: ["app.example.com", "*.app.example.com"], secretName: `${FULLNAME}-tls` }]);
    const named = one(await render({ files: MINIMAL, values: { ingress: { tls: { secretName: "wild" } } } }), "Ingress");
    expect(named.spec.tls[0].secretName).toBe("wild");
    const off = one(await render({ files: MINIMAL, values: { ingress: { tls: { enabled: false } } } }), "Ingress");
    expect(off.spec.tls).toBeUndefined();
  });

  it("keeps SSE streams unbuffered and open for an hour on ingress-nginx", async () => {
    const annotations = one(await render({ files: MINIMAL }), "Ingress").metadata.annotations;
    expect(annotations).toMatchObject({
      "nginx.ingress.kubernetes.io/proxy-buffering": "off",
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
    });
    // Snippets are refused by default ingress-nginx installs: only on request.
    expect(annotations).not.toHaveProperty("nginx.ingress.kubernetes.io/configuration-snippet");
    const withSnippet = one(
      await render({ files: MINIMAL, values: { ingress: { nginx: { accelBufferingSnippet: true } } } }),
      "Ingress",
    );
    expect(withSnippet.metadata.annotations?.["nginx.ingress.kubernetes.io/configuration-snippet"]).toBe(
      'more_set_headers "X-Accel-Buffering: no";',
    );
  });

  it("adds the cert-manager issuer only when asked, and lets users override annotations", async () => {
    expect(one(await render({ files: MINIMAL }), "Ingress").metadata.annotations).not.toHaveProperty(
      "cert-manager.io/cluster-issuer",
    );
    const ingress = one(
      await render({
        files: MINIMAL,
        values: {
          ingress: {
            certManager: { enabled: true, clusterIssuer: "le-dns" },
            annotations: { "nginx.ingress.kubernetes.io/proxy-read-timeout": "7200" },
          },
        },
      }),
      "Ingress",
    );
    expect(ingress.metadata.annotations).toMatchObject({
      "cert-manager.io/cluster-issuer": "le-dns",
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "7200",
    });
  });
});

describe("HTTPRoute", () => {
  it("replaces the Ingress, attaches to the named Gateway and serves both names without a request timeout", async () => {
    const objects = await render({ files: MINIMAL, values: gateway });
    expect(objects.some((o) => o.kind === "Ingress")).toBe(false);
    const route = one(objects, "HTTPRoute");
    expect(route.apiVersion).toBe("gateway.networking.k8s.io/v1");
    expect(route.spec.parentRefs).toEqual([{ name: "public", namespace: "gw" }]);
    expect(route.spec.hostnames).toEqual(["app.example.com", "*.app.example.com"]);
    expect(route.spec.rules).toEqual([
      {
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        backendRefs: [{ name: FULLNAME, port: 80 }],
        timeouts: { request: "0s" },
      },
    ]);
  });
});

describe("Service and metrics", () => {
  it("the Service targets the API pods' named port", async () => {
    const objects = await render({ files: MINIMAL });
    const service = one(objects, "Service");
    expect(service.spec.ports).toEqual([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
    expect(service.spec.selector).toEqual(one(objects, "Deployment").spec.selector.matchLabels);
  });

  it("the ServiceMonitor scrapes /metrics on every API endpoint", async () => {
    const objects = await render({ files: ["production-values.yaml"] });
    const monitor = one(objects, "ServiceMonitor");
    expect(monitor.metadata.labels).toMatchObject({ release: "kube-prometheus-stack" });
    expect(monitor.spec.selector.matchLabels).toEqual(one(objects, "Service").spec.selector);
    expect(monitor.spec.endpoints).toEqual([{ port: "http", path: "/metrics", interval: "30s", scrapeTimeout: "10s" }]);
  });

  it("the NetworkPolicy admits the ingress controller and the scraper, and lets out only DNS and PostgreSQL", async () => {
    const policy = one(await render({ files: MINIMAL, values: { networkPolicy: { databaseCIDRs: ["10.9.0.0/16"] } } }), "NetworkPolicy", FULLNAME);
    expect(policy.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.spec.ingress.map((r: any) => r.from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"])).toEqual([
      "ingress-nginx",
      "monitoring",
    ]);
    const egressPorts = policy.spec.egress.map((r: any) => r.ports.map((p: any) => `${p.protocol}/${p.port}`));
    expect(egressPorts).toEqual([["UDP/53", "TCP/53"], ["TCP/5432"]]);
    expect(policy.spec.egress[1].to).toEqual([{ ipBlock: { cidr: "10.9.0.0/16" } }]);
  });
});
