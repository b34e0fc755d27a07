CREATE TABLE "dataset_source_changes" (
	"id" text PRIMARY KEY NOT NULL,
	"jurisdiction" text NOT NULL,
	"source_url" text NOT NULL,
	"trusted" boolean NOT NULL,
	"status" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "revoked_reason" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "service" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "refresh_runs" ADD COLUMN "started_by" text DEFAULT 'unrecorded' NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_source_changes" ADD CONSTRAINT "dataset_source_changes_jurisdiction_datasets_jurisdiction_fk" FOREIGN KEY ("jurisdiction") REFERENCES "public"."datasets"("jurisdiction") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_source_changes_jurisdiction_idx" ON "dataset_source_changes" USING btree ("jurisdiction","status");--> statement-breakpoint
CREATE INDEX "api_keys_created_by_idx" ON "api_keys" USING btree ("tenant_id","created_by");