ALTER TABLE "users" ADD COLUMN "mfa_last_step" bigint;--> statement-breakpoint
ALTER POLICY "platform admins see every tenant" ON "tenants" TO switchboard_app USING ((select exists (select 1 from users u
  where u.id = nullif(current_setting('app.user_id', true), '')::uuid and u.is_platform_admin
    and u.mfa_enabled_at is not null)));