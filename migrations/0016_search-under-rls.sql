-- Full-text search inside a tenant's scope that stays on the GIN indexes (issue #13).
--
-- Under row-level security PostgreSQL applies a user's condition below the policy's only when every function in it
-- is LEAKPROOF (it could otherwise leak rows of other tenants through errors or side effects). `@@`
-- (ts_match_vq) and to_tsvector are not marked so, so as the app role `search @@ q` could never be an index
-- condition: every search would read all of the tenant's messages. Both are safe to mark: they only compute
-- a value and raise no error that depends on a row's content (to_tsvector's "string is too long for tsvector"
-- needs a value of about 1 MB; subjects are capped at 300 characters and message bodies at 20,000). Only a
-- superuser may mark functions; without one the migration warns, and search stays correct but unindexed until an
-- operator runs the two ALTER FUNCTION statements below once as a superuser (README: "Search under RLS").
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
    ALTER FUNCTION pg_catalog.to_tsvector(regconfig, text) LEAKPROOF;
  ELSE
    RAISE WARNING 'switchboard: not a superuser, so conversation search under RLS is not indexed; as a superuser run: ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF; ALTER FUNCTION pg_catalog.to_tsvector(regconfig, text) LEAKPROOF;';
  END IF;
END
$$;--> statement-breakpoint

-- The subject index without coalesce(): the planner treats coalesce as leaky, so its first form (built by early
-- runs of the online step 0014) was never used under RLS. Rebuilt CONCURRENTLY by the online step 0016.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'engagements_subject_search_idx'
             AND indexdef ILIKE '%coalesce%') THEN
    DROP INDEX "engagements_subject_search_idx";
  END IF;
END
$$;
