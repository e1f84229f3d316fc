CREATE TYPE "public"."message_delivery_status" AS ENUM('queued', 'sent', 'delivered', 'failed', 'undelivered');--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivery_status" "message_delivery_status";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivery_error" text;--> statement-breakpoint
-- Replies on SMS and WhatsApp conversations go out through Twilio as jobs (retried, once across replicas).
SELECT pgboss.create_queue('twilio.send', '{"policy":"standard"}');
