-- Call-center domain: FORCE row-level security (drizzle-kit only emits ENABLE), least-privilege grants for the
-- app role, and updated_at maintenance. Events are published by the services (pg_notify in the same
-- transaction), not by a trigger, so bulk loads (pnpm db:seed) do not flood listeners.
ALTER TABLE "agents" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "calls" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "leads" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "engagements" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "engagement_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint

-- Calls and engagements are history: they are never deleted by the app (tenant deletion cascades as the owner).
-- Events are append-only.
GRANT SELECT, INSERT, UPDATE, DELETE ON "agents", "leads" TO switchboard_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "calls", "engagements" TO switchboard_app;--> statement-breakpoint
GRANT SELECT, INSERT ON "engagement_events" TO switchboard_app;--> statement-breakpoint
GRANT USAGE ON SEQUENCE "engagement_events_id_seq" TO switchboard_app;--> statement-breakpoint

CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER agents_touch BEFORE UPDATE ON "agents" FOR EACH ROW EXECUTE FUNCTION touch_updated_at();--> statement-breakpoint
CREATE TRIGGER calls_touch BEFORE UPDATE ON "calls" FOR EACH ROW EXECUTE FUNCTION touch_updated_at();--> statement-breakpoint
CREATE TRIGGER leads_touch BEFORE UPDATE ON "leads" FOR EACH ROW EXECUTE FUNCTION touch_updated_at();--> statement-breakpoint
CREATE TRIGGER engagements_touch BEFORE UPDATE ON "engagements" FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
