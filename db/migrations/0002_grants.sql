-- What each role may do. Tenant tables are further limited by the row-level-security
-- policies in 0001; platform tables are global and read-only for tenant work.
GRANT USAGE ON SCHEMA public TO prep_app, prep_platform;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON
  tenants, users, api_keys, facilities, permits, staff, credentials, inspections,
  temperature_logs, checks, audit_log
  TO prep_app;--> statement-breakpoint
GRANT SELECT ON jurisdictions, datasets, dataset_versions, rules TO prep_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON jurisdictions, datasets, dataset_versions, rules TO prep_platform;--> statement-breakpoint
GRANT SELECT ON tenants TO prep_platform;--> statement-breakpoint
-- An API key arrives before its tenant is known. This function is the one door through
-- row-level security for that lookup: it runs as the owner, takes the non-secret prefix and
-- returns only what verification needs (the caller still compares the SHA-256 hash).
CREATE FUNCTION prep_find_api_key(p_prefix text)
RETURNS TABLE (id text, tenant_id text, hash text, mode text, scopes text[], revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id, tenant_id, hash, mode, scopes, revoked_at FROM api_keys WHERE prefix = p_prefix
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION prep_find_api_key(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION prep_find_api_key(text) TO prep_app;
