CREATE TABLE "incident_history" (
	"id" text PRIMARY KEY NOT NULL,
	"dedup_key" text NOT NULL,
	"summary" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "slo_hours" (
	"slo" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"good" bigint NOT NULL,
	"total" bigint NOT NULL,
	CONSTRAINT "slo_hours_slo_hour_pk" PRIMARY KEY("slo","hour")
);
--> statement-breakpoint
CREATE INDEX "incident_history_key_idx" ON "incident_history" USING btree ("dedup_key","opened_at");