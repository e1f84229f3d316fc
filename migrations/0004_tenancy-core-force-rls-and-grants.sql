-- drizzle-kit emits ENABLE but never FORCE: FORCE makes the policies apply to the table owner as well.
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "email_outbox" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "request_budgets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint

-- Least privilege for the app role.
-- Invitations and keys are revoked (a timestamp), never deleted by the app.
GRANT SELECT, INSERT, UPDATE ON "invitations", "api_keys" TO switchboard_app;--> statement-breakpoint
-- The audit trail is append-only: no UPDATE, no DELETE (and no policy for them either).
GRANT SELECT, INSERT ON "audit_log" TO switchboard_app;--> statement-breakpoint
-- The API only queues mail; a mailer with its own role marks rows sent.
GRANT SELECT, INSERT ON "email_outbox" TO switchboard_app;--> statement-breakpoint
-- Counters: upserted per request, old windows pruned.
GRANT SELECT, INSERT, UPDATE, DELETE ON "request_budgets" TO switchboard_app;--> statement-breakpoint
-- Global (no tenant): recorded per login, pruned by age.
GRANT SELECT, INSERT, DELETE ON "login_attempts" TO switchboard_app;
