CREATE TABLE "source_reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"source_kind" text NOT NULL,
	"source_title" text NOT NULL,
	"source_url" text NOT NULL,
	"datasets" text[] NOT NULL,
	"rule_ids" text[] NOT NULL,
	"from_hash" text NOT NULL,
	"to_hash" text NOT NULL,
	"base_text" text NOT NULL,
	"diff" text NOT NULL,
	"changes" integer DEFAULT 1 NOT NULL,
	"status" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"resolution" text,
	"dataset_version_id" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "watched_sources" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"url" text NOT NULL,
	"datasets" text[] NOT NULL,
	"rule_ids" text[] NOT NULL,
	"etag" text,
	"last_modified" text,
	"content_hash" text,
	"content_text" text,
	"last_checked_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_changed_at" timestamp with time zone,
	"failure_count" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "source_reviews_one_open_idx" ON "source_reviews" USING btree ("source_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "source_reviews_status_idx" ON "source_reviews" USING btree ("status","id");