import { defineConfig } from "drizzle-kit";

// `pnpm db:generate` writes SQL into the top-level migrations/ folder. Roles are created by hand-written
// migrations (roles are cluster-wide), so drizzle-kit only references them (`pgRole(...).existing()`).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "../../migrations",
  casing: "snake_case",
  entities: { roles: false },
});
