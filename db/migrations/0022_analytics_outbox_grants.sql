-- Product analytics' outbox: tenant work (prep_app) enqueues its own tenant's events, in the
-- transaction that records what happened; the drain (prep_platform) claims, settles and
-- dead-letters every tenant's rows. prep_app never reads other tenants' rows (RLS) and never
-- deletes: only the drain does.
GRANT SELECT, INSERT ON analytics_outbox TO prep_app;--> statement-breakpoint
GRANT SELECT, UPDATE, DELETE ON analytics_outbox TO prep_platform;
--> statement-breakpoint
-- Forced: not even the table's owner reads past the policies (no SECURITY DEFINER function
-- needs this table), so it is not among db/rls-catalog.ts's known failures.
ALTER TABLE analytics_outbox FORCE ROW LEVEL SECURITY;
