-- List cursors carry a row's timestamp as a JavaScript date (milliseconds). These four columns kept microseconds,
-- so a page boundary inside one millisecond repeated rows (members.list, oldest first, never ended) or skipped them
-- (auth.sessions, apiKeys.list, invitations, newest first). Millisecond precision like the domain tables. Lowering
-- the precision rewrites each table under an ACCESS EXCLUSIVE lock: these are small (people, keys, invitations,
-- live sessions), a few milliseconds to a second on a large installation.
ALTER TABLE "sessions" ALTER COLUMN "created_at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "sessions" ALTER COLUMN "created_at" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "memberships" ALTER COLUMN "created_at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "memberships" ALTER COLUMN "created_at" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "invitations" ALTER COLUMN "created_at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "invitations" ALTER COLUMN "created_at" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "api_keys" ALTER COLUMN "created_at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ALTER COLUMN "created_at" SET DEFAULT now();