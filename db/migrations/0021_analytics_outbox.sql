CREATE TABLE "analytics_outbox" (
	"message_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"event" text NOT NULL,
	"user_id" text,
	"properties" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"leased_until" timestamp with time zone,
	"last_error" text,
	"dead_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "analytics_outbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "analytics_outbox_due_idx" ON "analytics_outbox" USING btree ("next_attempt_at") WHERE dead_at IS NULL;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "analytics_outbox" AS PERMISSIVE FOR ALL TO "prep_app" USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));--> statement-breakpoint
CREATE POLICY "platform_drain" ON "analytics_outbox" AS PERMISSIVE FOR ALL TO "prep_platform" USING (true);