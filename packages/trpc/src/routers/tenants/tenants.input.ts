import { z } from "zod";
import { pagination, singleLine, slug, uuid } from "../../lib/inputs";

/** Hostnames a tenant may not take (they name the platform's own services or confuse users). */
export const reservedSlugs = new Set([
  "www", "api", "app", "admin", "administrator", "auth", "login", "signup", "register", "dashboard", "mail",
  "email", "smtp", "ftp", "static", "assets", "cdn", "docs", "help", "support", "status", "blog", "billing",
  "metrics", "healthz", "readyz", "trpc", "internal", "system", "root", "localhost", "switchboard", "test",
]);

export const createTenantInput = z.strictObject({
  name: singleLine(100).pipe(z.string().min(2, { message: "Use at least 2 characters" })),
  slug: slug.refine((s) => !reservedSlugs.has(s), { message: "This name is reserved" }),
  parentId: uuid.optional(),
});

export const switchTenantInput = z.strictObject({ tenantId: uuid });

export const allTenantsInput = z.strictObject({ ...pagination }).default({ limit: 50 });
