-- Functions that run as their owner (SECURITY DEFINER) to answer tenant ids across tenants read tables with FORCE ROW
-- LEVEL SECURITY, which binds the owner too unless it is a superuser (as in tests, not on managed databases or
-- CloudNativePG, where the owner is an ordinary role): without a policy of its own the owner sees no rows and the
-- clean-up found nothing to do. Each policy below is for the role running the migrations only (the app role is
-- another role), and only for reading.
CREATE POLICY "the owner's clean-up function finds expired invitations" ON "invitations" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);--> statement-breakpoint
CREATE POLICY "the owner's clean-up function finds old mail" ON "email_outbox" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);--> statement-breakpoint
CREATE POLICY "the owner's prune function finds old events" ON "webhook_events" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);--> statement-breakpoint

-- Which tenants have webhook events older than `before` (the prune then runs in each tenant's scope, as the app role).
CREATE FUNCTION public.tenants_with_old_webhook_events(before timestamptz)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT DISTINCT tenant_id FROM webhook_events WHERE created_at < before
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.tenants_with_old_webhook_events(timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.tenants_with_old_webhook_events(timestamptz) TO switchboard_app;
