-- Billing: the webhook's applied events are tenant rows.
GRANT SELECT, INSERT, UPDATE, DELETE ON billing_events TO prep_app;--> statement-breakpoint
-- Tenants created before billing keep working exactly as before: they are grandfathered on
-- Enterprise (every state, no location limit), billed by the operator until moved to a plan
-- with `npx prep plan set`. New tenants start as a 14-day trial (db/tenants.ts).
UPDATE tenants SET plan = 'enterprise', billing_status = 'active', billing_updated_at = now();
