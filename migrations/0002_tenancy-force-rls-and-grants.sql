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
--> statement-breakpoint
-- tenants.member_count follows memberships in the same transaction. SECURITY INVOKER: the update runs as the
-- app role inside the membership's tenant scope, so it passes the "a tenant updates only itself" policy.
CREATE FUNCTION memberships_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE tenants SET member_count = member_count + 1 WHERE id = NEW.tenant_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE tenants SET member_count = member_count - 1 WHERE id = OLD.tenant_id;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER memberships_count AFTER INSERT OR DELETE ON memberships
  FOR EACH ROW EXECUTE FUNCTION memberships_count();
