-- The role that serves requests: not the owner, not superuser, no BYPASSRLS. NOLOGIN: deployments log in as a
-- user that is granted this role (see packages/db/src/roles.ts, run by `pnpm db:migrate`). Roles are
-- cluster-wide, so creation is idempotent for a second database on the same server.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switchboard_app') THEN
    CREATE ROLE switchboard_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
