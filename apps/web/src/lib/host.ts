/**
 * Which tenant the page is on, from the browser's hostname: `acme.localhost` → `acme`, `acme.app.example.com`
 * → `acme`, `localhost` / `app.example.com` → the bare domain (the tenant picker).
 *
 * The API knows BASE_DOMAIN; the browser does not, so without `VITE_BASE_DOMAIN` at build time this guesses:
 * a host under `.localhost`, or one with three or more labels, names a tenant by its first label, unless that
 * label is one tenants may never take (`app`, `www`, …: reserved slugs), so `app.example.com` stays bare.
 */
export interface HostInfo {
  /** The tenant slug, or null on the bare domain. */
  tenantSlug: string | null;
  /** The domain tenants live under (`localhost`, `app.example.com`). */
  baseDomain: string;
}

/** First labels that are never tenants (a subset of the API's reserved slugs). */
const platformLabels = new Set(["www", "app", "api", "admin", "dashboard"]);

const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function parseHost(hostname: string, configuredBaseDomain?: string): HostInfo {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const base = configuredBaseDomain?.toLowerCase().replace(/\.$/, "");
  if (base) {
    if (host.endsWith(`.${base}`)) {
      const label = host.slice(0, -(base.length + 1));
      if (label && !label.includes(".")) return { tenantSlug: label, baseDomain: base };
    }
    return { tenantSlug: null, baseDomain: base };
  }
  // IP addresses (and IPv6 literals) never carry a tenant.
  if (ipv4.test(host) || host.includes(":")) return { tenantSlug: null, baseDomain: host };
  const labels = host.split(".");
  const [first, ...rest] = labels;
  if (!first || rest.length === 0) return { tenantSlug: null, baseDomain: host };
  const underLocalhost = rest.join(".") === "localhost";
  if ((underLocalhost || labels.length >= 3) && !platformLabels.has(first)) {
    return { tenantSlug: first, baseDomain: rest.join(".") };
  }
  return { tenantSlug: null, baseDomain: host };
}

/** The URL of a tenant's dashboard (or of the bare domain when `slug` is null), on the page's scheme and port. */
export function hostUrl(
  slug: string | null,
  info: HostInfo,
  location: Pick<Location, "protocol" | "port"> = window.location,
  path = "/",
): string {
  const port = location.port ? `:${location.port}` : "";
  return `${location.protocol}//${slug ? `${slug}.` : ""}${info.baseDomain}${port}${path}`;
}

/** The current page's host, parsed once (the hostname does not change without a page load). */
export const currentHost: HostInfo = parseHost(
  typeof window === "undefined" ? "localhost" : window.location.hostname,
  import.meta.env.VITE_BASE_DOMAIN as string | undefined,
);
