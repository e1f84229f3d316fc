-- drizzle-kit emits ENABLE but never FORCE: FORCE makes the policies apply to the table owner as well.
ALTER TABLE "tenants" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;--> statement-breakpoint

-- Least privilege for the app role: nothing by default, then exactly what the app needs.
REVOKE ALL ON SCHEMA public FROM PUBLIC;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO switchboard_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "users", "sessions", "session_handoffs" TO switchboard_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "tenants" TO switchboard_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "memberships" TO switchboard_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO switchboard_app;
