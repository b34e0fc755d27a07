-- Proposed dataset source changes are platform rows, like overrides: prep_platform only.
GRANT SELECT, INSERT, UPDATE, DELETE ON dataset_source_changes TO prep_platform;--> statement-breakpoint
-- Key verification needs the expiry (an expired key answers 401). The function's result type
-- changes, so it is dropped and made again, with the same one-door grants as in 0002.
DROP FUNCTION prep_find_api_key(text);--> statement-breakpoint
CREATE FUNCTION prep_find_api_key(p_prefix text)
RETURNS TABLE (id text, tenant_id text, hash text, mode text, scopes text[], revoked_at timestamptz, expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id, tenant_id, hash, mode, scopes, revoked_at, expires_at FROM api_keys WHERE prefix = p_prefix
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION prep_find_api_key(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION prep_find_api_key(text) TO prep_app;
