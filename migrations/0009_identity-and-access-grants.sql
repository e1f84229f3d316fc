-- Grants for the identity and access tables (0008). Global tables (no tenant): the app role reaches them only
-- through packages/auth and the auth, invitations and platform services.
ALTER TABLE "email_outbox" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Single-use tokens, MFA challenges and recovery codes: created, redeemed (used_at / attempts), pruned by jobs.
GRANT SELECT, INSERT, UPDATE, DELETE ON "user_tokens", "mfa_challenges", "mfa_recovery_codes" TO switchboard_app;--> statement-breakpoint
-- The account's security log and the platform's audit log are append-only for the app.
GRANT SELECT, INSERT ON "security_events", "platform_audit" TO switchboard_app;--> statement-breakpoint
-- Shared one-minute counters: upserted per request, old windows pruned by a job.
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limit_windows" TO switchboard_app;--> statement-breakpoint
-- The mail job (app role, in the mail's tenant scope) marks mail sent and redacts its bodies; old mail is pruned.
GRANT SELECT, INSERT, UPDATE, DELETE ON "email_outbox" TO switchboard_app;
