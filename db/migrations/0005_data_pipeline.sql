CREATE TABLE "dataset_overrides" (
	"id" text PRIMARY KEY NOT NULL,
	"jurisdiction" text NOT NULL,
	"action" text NOT NULL,
	"rule_id" text NOT NULL,
	"rule" jsonb NOT NULL,
	"reason" text NOT NULL,
	"effective_from" date NOT NULL,
	"expires_at" date NOT NULL,
	"status" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"dedup_key" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"summary" text NOT NULL,
	"triggered_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "platform_admins" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"key_prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "platform_audit_log" (
	"id" text PRIMARY KEY NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"detail" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "refresh_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text NOT NULL,
	"error_code" text,
	"detail" text,
	"version_id" text,
	"content_hash" text,
	"next_attempt_at" timestamp with time zone,
	"diff" jsonb
);
--> statement-breakpoint
CREATE TABLE "refresh_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"report" jsonb
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "failure_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "propagated_fingerprint" text;--> statement-breakpoint
ALTER TABLE "dataset_overrides" ADD CONSTRAINT "dataset_overrides_jurisdiction_datasets_jurisdiction_fk" FOREIGN KEY ("jurisdiction") REFERENCES "public"."datasets"("jurisdiction") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_attempts" ADD CONSTRAINT "refresh_attempts_run_id_refresh_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."refresh_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_overrides_jurisdiction_idx" ON "dataset_overrides" USING btree ("jurisdiction","status");--> statement-breakpoint
CREATE UNIQUE INDEX "platform_admins_email_key" ON "platform_admins" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "platform_admins_prefix_key" ON "platform_admins" USING btree ("key_prefix");--> statement-breakpoint
CREATE INDEX "platform_audit_log_at_idx" ON "platform_audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "refresh_attempts_jurisdiction_idx" ON "refresh_attempts" USING btree ("jurisdiction","at");