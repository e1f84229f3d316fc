import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The built dashboard: WEB_DIST_DIR, else apps/web/dist found above this file (source or bundle). */
export function findWebRoot(configured: string | undefined): string | null {
  if (configured !== undefined) return configured === "" ? null : resolve(configured);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "apps", "web", "dist");
    if (existsSync(join(candidate, "index.html"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
