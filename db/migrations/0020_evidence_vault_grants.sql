-- Evidence vault (0019): the app role reads and writes its four tenant tables. Share-link
-- accesses and the export rows are history: no role may rewrite an access once logged.
GRANT SELECT, INSERT, UPDATE, DELETE ON evidence_exports, evidence_share_links, evidence_schedules TO prep_app;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON evidence_share_accesses TO prep_app;--> statement-breakpoint
-- An auditor's link arrives with its token only; the caller passes its SHA-256 and learns
-- which tenant (and link) it names, nothing else.
CREATE FUNCTION prep_find_share_link(p_token_hash text)
RETURNS TABLE (id text, tenant_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id, tenant_id FROM evidence_share_links WHERE token_hash = p_token_hash
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION prep_find_share_link(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION prep_find_share_link(text) TO prep_app;--> statement-breakpoint
-- The hourly job finds which tenants have a schedule (tenant id and cadence only); it then
-- queues each export inside that tenant's own transaction.
CREATE FUNCTION prep_evidence_schedules()
RETURNS TABLE (tenant_id text, cadence text, last_period_from date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT tenant_id, cadence, last_period_from FROM evidence_schedules ORDER BY tenant_id
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION prep_evidence_schedules() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION prep_evidence_schedules() TO prep_platform;
