-- The regulatory data pipeline's platform tables: written and read by platform jobs and the
-- admin API as prep_platform; tenant work (prep_app) never needs them.
GRANT SELECT, INSERT, UPDATE, DELETE ON
  refresh_runs, refresh_attempts, platform_admins, dataset_overrides, platform_audit_log, incidents
  TO prep_platform;--> statement-breakpoint
-- A rule change must reach the tenants with facilities where it applies, but facilities are
-- tenant rows behind row-level security. This function is the platform's one door to them:
-- it runs as the owner and returns only the places (no names, no ids) per tenant in the
-- given states; the caller resolves each place's jurisdictions itself.
CREATE FUNCTION prep_facility_places(p_states text[])
RETURNS TABLE (tenant_id text, city text, county text, state text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT DISTINCT tenant_id, city, county, state FROM facilities WHERE upper(state) = ANY (p_states)
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION prep_facility_places(text[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION prep_facility_places(text[]) TO prep_platform;
