CREATE TABLE "evidence_exports" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"status" text NOT NULL,
	"trigger" text NOT NULL,
	"facility_ids" text[] NOT NULL,
	"all_facilities" boolean NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"locations_done" integer DEFAULT 0 NOT NULL,
	"error" text,
	"files" jsonb,
	"manifest_sha256" text,
	"notified_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "evidence_exports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "evidence_schedules" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"cadence" text NOT NULL,
	"facility_ids" text[],
	"created_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_period_from" date
);
--> statement-breakpoint
ALTER TABLE "evidence_schedules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "evidence_share_accesses" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"share_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip" text,
	"user_agent" text,
	"resource" text NOT NULL,
	"outcome" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evidence_share_accesses" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "evidence_share_links" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"export_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"email" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text
);
--> statement-breakpoint
ALTER TABLE "evidence_share_links" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "evidence_exports" ADD CONSTRAINT "evidence_exports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_schedules" ADD CONSTRAINT "evidence_schedules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_share_accesses" ADD CONSTRAINT "evidence_share_accesses_share_id_evidence_share_links_id_fk" FOREIGN KEY ("share_id") REFERENCES "public"."evidence_share_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_share_links" ADD CONSTRAINT "evidence_share_links_export_id_evidence_exports_id_fk" FOREIGN KEY ("export_id") REFERENCES "public"."evidence_exports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_exports_tenant_idx" ON "evidence_exports" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "evidence_share_accesses_share_idx" ON "evidence_share_accesses" USING btree ("tenant_id","share_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_share_links_token_key" ON "evidence_share_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "evidence_share_links_export_idx" ON "evidence_share_links" USING btree ("tenant_id","export_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "evidence_exports" AS PERMISSIVE FOR ALL TO "prep_app" USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "evidence_schedules" AS PERMISSIVE FOR ALL TO "prep_app" USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "evidence_share_accesses" AS PERMISSIVE FOR ALL TO "prep_app" USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "evidence_share_links" AS PERMISSIVE FOR ALL TO "prep_app" USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));