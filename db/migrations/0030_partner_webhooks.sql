CREATE TABLE "partner_webhook_mirrors" (
	"partner_webhook_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"grant_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_webhook_mirrors_partner_webhook_id_tenant_id_pk" PRIMARY KEY("partner_webhook_id","tenant_id")
);
--> statement-breakpoint
ALTER TABLE "partner_webhook_mirrors" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "partner_webhooks" (
	"id" text PRIMARY KEY NOT NULL,
	"partner_id" text NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partner_webhook_mirrors" ADD CONSTRAINT "partner_webhook_mirrors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_webhooks" ADD CONSTRAINT "partner_webhooks_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partner_webhook_mirrors_grant_idx" ON "partner_webhook_mirrors" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "partner_webhooks_partner_idx" ON "partner_webhooks" USING btree ("partner_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "partner_webhook_mirrors" AS PERMISSIVE FOR ALL TO "prep_app" USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));--> statement-breakpoint
CREATE POLICY "platform_partner_api" ON "partner_webhook_mirrors" AS PERMISSIVE FOR ALL TO "prep_platform" USING (true);