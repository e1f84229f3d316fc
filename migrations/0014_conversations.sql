-- Conversations (issue #13): threads, contacts, labels, canned responses, availability; engagements, calls and leads
-- gain contact_id. Safe on large tables: this transaction only adds tables, nullable columns and constraints
-- marked NOT VALID (no table scan, brief locks). Indexes on the existing tables are built CONCURRENTLY, the
-- constraints validated, and existing rows backfilled in batches by the online step 0014
-- (packages/db/src/online-migrations/0014-conversations.ts), which runs outside any transaction after this file.
CREATE TYPE "public"."csat_source" AS ENUM('customer', 'agent');--> statement-breakpoint
CREATE TYPE "public"."contact_handle_kind" AS ENUM('email', 'phone', 'twitter', 'facebook', 'chat');--> statement-breakpoint
CREATE TYPE "public"."message_author_type" AS ENUM('customer', 'user', 'ai_agent', 'system');--> statement-breakpoint
CREATE TYPE "public"."message_kind" AS ENUM('inbound', 'outbound', 'note');--> statement-breakpoint
CREATE TYPE "public"."availability_status" AS ENUM('online', 'away', 'offline');--> statement-breakpoint
ALTER TYPE "public"."engagement_event_type" ADD VALUE 'message';--> statement-breakpoint
CREATE TABLE "contact_handles" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"kind" "contact_handle_kind" NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_handles_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "contact_handles_tenant_kind_value_unique" UNIQUE("tenant_id","kind","value"),
	CONSTRAINT "contact_handles_value_length" CHECK (char_length("contact_handles"."value") between 1 and 320)
);
--> statement-breakpoint
ALTER TABLE "contact_handles" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "contacts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text,
	"email" text,
	"phone" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "contacts_name_length" CHECK (char_length("contacts"."name") <= 200)
);
--> statement-breakpoint
ALTER TABLE "contacts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "messages" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"engagement_id" uuid NOT NULL,
	"kind" "message_kind" NOT NULL,
	"author_type" "message_author_type" NOT NULL,
	"author_id" uuid,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"external_id" text,
	"idempotency_key" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
	CONSTRAINT "messages_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "messages_tenant_external_id_unique" UNIQUE("tenant_id","external_id"),
	CONSTRAINT "messages_tenant_idempotency_key_unique" UNIQUE("tenant_id","idempotency_key"),
	CONSTRAINT "messages_body_length" CHECK (char_length("messages"."body") <= 20000),
	CONSTRAINT "messages_author_name_length" CHECK (char_length("messages"."author_name") <= 200)
);
--> statement-breakpoint
ALTER TABLE "messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "engagement_labels" (
	"tenant_id" uuid NOT NULL,
	"engagement_id" uuid NOT NULL,
	"label_id" uuid NOT NULL,
	CONSTRAINT "engagement_labels_tenant_id_engagement_id_label_id_pk" PRIMARY KEY("tenant_id","engagement_id","label_id")
);
--> statement-breakpoint
ALTER TABLE "engagement_labels" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "labels" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"color" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "labels_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "labels_name_length" CHECK (char_length("labels"."name") between 1 and 50),
	CONSTRAINT "labels_color_format" CHECK ("labels"."color" ~ '^#[0-9a-fA-F]{6}$')
);
--> statement-breakpoint
ALTER TABLE "labels" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "canned_responses" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"shortcut" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "canned_responses_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "canned_responses_tenant_shortcut_unique" UNIQUE("tenant_id","shortcut"),
	CONSTRAINT "canned_responses_shortcut_format" CHECK ("canned_responses"."shortcut" ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
	CONSTRAINT "canned_responses_title_length" CHECK (char_length("canned_responses"."title") between 1 and 100),
	CONSTRAINT "canned_responses_body_length" CHECK (char_length("canned_responses"."body") between 1 and 5000)
);
--> statement-breakpoint
ALTER TABLE "canned_responses" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "availability" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" "availability_status" DEFAULT 'offline' NOT NULL,
	"last_assigned_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "availability_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "availability" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "engagements" ALTER COLUMN "message" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "routing" jsonb;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "business_hours" jsonb;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "sla" jsonb;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "contact_id" uuid;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "contact_id" uuid;--> statement-breakpoint
ALTER TABLE "engagement_events" ADD COLUMN "message_id" uuid;--> statement-breakpoint
ALTER TABLE "engagements" ADD COLUMN "contact_id" uuid;--> statement-breakpoint
ALTER TABLE "engagements" ADD COLUMN "last_message_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "engagements" ADD COLUMN "first_response_due_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "engagements" ADD COLUMN "csat_source" "csat_source";--> statement-breakpoint
ALTER TABLE "engagements" ADD COLUMN "csat_comment" text;--> statement-breakpoint
ALTER TABLE "contact_handles" ADD CONSTRAINT "contact_handles_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_engagement_fk" FOREIGN KEY ("tenant_id","engagement_id") REFERENCES "public"."engagements"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_labels" ADD CONSTRAINT "engagement_labels_engagement_fk" FOREIGN KEY ("tenant_id","engagement_id") REFERENCES "public"."engagements"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_labels" ADD CONSTRAINT "engagement_labels_label_fk" FOREIGN KEY ("tenant_id","label_id") REFERENCES "public"."labels"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labels" ADD CONSTRAINT "labels_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "availability" ADD CONSTRAINT "availability_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "availability" ADD CONSTRAINT "availability_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_handles_tenant_contact_idx" ON "contact_handles" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "contacts_tenant_created_idx" ON "contacts" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "messages_tenant_engagement_created_idx" ON "messages" USING btree ("tenant_id","engagement_id","created_at","id");--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search");--> statement-breakpoint
CREATE INDEX "engagement_labels_tenant_label_idx" ON "engagement_labels" USING btree ("tenant_id","label_id","engagement_id");--> statement-breakpoint
CREATE UNIQUE INDEX "labels_tenant_name_unique" ON "labels" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action NOT VALID;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action NOT VALID;--> statement-breakpoint
ALTER TABLE "engagement_events" ADD CONSTRAINT "engagement_events_message_fk" FOREIGN KEY ("tenant_id","message_id") REFERENCES "public"."messages"("tenant_id","id") ON DELETE cascade ON UPDATE no action NOT VALID;--> statement-breakpoint
ALTER TABLE "engagements" ADD CONSTRAINT "engagements_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action NOT VALID;--> statement-breakpoint
ALTER TABLE "engagements" ADD CONSTRAINT "engagements_csat_comment_length" CHECK (char_length("engagements"."csat_comment") <= 2000) NOT VALID;--> statement-breakpoint
CREATE POLICY "contact_handles stay inside their tenant" ON "contact_handles" AS PERMISSIVE FOR ALL TO "switchboard_app" USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "contacts stay inside their tenant" ON "contacts" AS PERMISSIVE FOR ALL TO "switchboard_app" USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "messages stay inside their tenant" ON "messages" AS PERMISSIVE FOR ALL TO "switchboard_app" USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "engagement_labels stay inside their tenant" ON "engagement_labels" AS PERMISSIVE FOR ALL TO "switchboard_app" USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "labels stay inside their tenant" ON "labels" AS PERMISSIVE FOR ALL TO "switchboard_app" USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "canned_responses stay inside their tenant" ON "canned_responses" AS PERMISSIVE FOR ALL TO "switchboard_app" USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "availability stay inside their tenant" ON "availability" AS PERMISSIVE FOR ALL TO "switchboard_app" USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));