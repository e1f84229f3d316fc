-- Conversations: FORCE row-level security on the new tenant tables (drizzle-kit only emits ENABLE), least-privilege
-- grants for the app role, and updated_at maintenance (touch_updated_at, migration 0006).
ALTER TABLE "contacts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "contact_handles" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "messages" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "labels" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "engagement_labels" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "canned_responses" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "availability" FORCE ROW LEVEL SECURITY;--> statement-breakpoint

-- Contacts are merged (the merged one is deleted, its handles move); labels and canned responses are managed by
-- admins; a label comes off a conversation. Messages are history: written, redacted (privacy), never deleted by the
-- app. Availability rows are upserted.
GRANT SELECT, INSERT, UPDATE, DELETE ON "contacts", "contact_handles", "labels", "canned_responses" TO switchboard_app;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "engagement_labels" TO switchboard_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "messages", "availability" TO switchboard_app;--> statement-breakpoint

CREATE TRIGGER contacts_touch BEFORE UPDATE ON "contacts" FOR EACH ROW EXECUTE FUNCTION touch_updated_at();--> statement-breakpoint
CREATE TRIGGER labels_touch BEFORE UPDATE ON "labels" FOR EACH ROW EXECUTE FUNCTION touch_updated_at();--> statement-breakpoint
CREATE TRIGGER canned_responses_touch BEFORE UPDATE ON "canned_responses" FOR EACH ROW EXECUTE FUNCTION touch_updated_at();--> statement-breakpoint
CREATE TRIGGER availability_touch BEFORE UPDATE ON "availability" FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
