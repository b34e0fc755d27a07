-- Accounts for the web app: grants on the new tenant tables (row-level security in 0003
-- limits them to the transaction's tenant) and the two lookups that happen before the
-- tenant is known.
GRANT SELECT, INSERT, UPDATE, DELETE ON
  invites, location_groups, location_group_members, user_locations, user_location_groups
  TO prep_app;--> statement-breakpoint
-- Sign-in arrives with an email only. Like prep_find_api_key, this is the one door through
-- row-level security for that lookup: it runs as the owner and returns only what
-- verification needs (the caller still verifies the password hash).
CREATE FUNCTION prep_find_user_by_email(p_email text)
RETURNS TABLE (id text, tenant_id text, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id, tenant_id, password_hash FROM users WHERE lower(email) = lower(p_email)
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION prep_find_user_by_email(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION prep_find_user_by_email(text) TO prep_app;--> statement-breakpoint
-- Accepting an invite arrives with the link's token only; the caller passes its SHA-256.
CREATE FUNCTION prep_find_invite(p_token_hash text)
RETURNS TABLE (id text, tenant_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id, tenant_id FROM invites WHERE token_hash = p_token_hash
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION prep_find_invite(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION prep_find_invite(text) TO prep_app;
