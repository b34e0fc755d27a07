-- Sessions, password resets and verified sign-ups (docs/decisions/0011-sessions-mail-and-verification.md).
-- user_sessions and password_resets are tenant tables: row-level security (0012) limits
-- prep_app to the transaction's tenant.
GRANT SELECT, INSERT, UPDATE, DELETE ON user_sessions, password_resets TO prep_app;--> statement-breakpoint
-- A reset link arrives with its token only; the caller passes its SHA-256. Like
-- prep_find_invite, the one door through row-level security for that lookup.
CREATE FUNCTION prep_find_password_reset(p_token_hash text)
RETURNS TABLE (id text, tenant_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id, tenant_id FROM password_resets WHERE token_hash = p_token_hash
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION prep_find_password_reset(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION prep_find_password_reset(text) TO prep_app;--> statement-breakpoint
-- pending_signups belongs to no tenant: prep_app holds no privilege on it and can only add a
-- sign-up or take one by its token's hash. Adding one also drops the lapsed ones.
REVOKE ALL ON pending_signups FROM prep_app;--> statement-breakpoint
CREATE FUNCTION prep_start_signup(
  p_id text, p_email text, p_company_name text, p_name text, p_password_hash text,
  p_token_hash text, p_expires_at timestamptz
) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
  DELETE FROM pending_signups WHERE expires_at < now();
  INSERT INTO pending_signups (id, email, company_name, name, password_hash, token_hash, expires_at)
  VALUES (p_id, p_email, p_company_name, p_name, p_password_hash, p_token_hash, p_expires_at);
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION prep_start_signup(text, text, text, text, text, text, timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION prep_start_signup(text, text, text, text, text, text, timestamptz) TO prep_app;--> statement-breakpoint
-- Verifying takes the sign-up: a link works once. A lapsed one is taken too, and not returned.
CREATE FUNCTION prep_take_signup(p_token_hash text)
RETURNS TABLE (email text, company_name text, name text, password_hash text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
  WITH taken AS (DELETE FROM pending_signups WHERE token_hash = p_token_hash RETURNING *)
  SELECT email, company_name, name, password_hash FROM taken WHERE expires_at > now()
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION prep_take_signup(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION prep_take_signup(text) TO prep_app;
