-- Partners (issue 21, ADR 0023). Partners and their OAuth clients are platform data: the
-- token endpoint and the CLI read and write them as prep_platform. Tenant work (prep_app)
-- reads partners' names only (an owner's list of grants), never clients or their secrets.
GRANT SELECT, INSERT, UPDATE ON partners TO prep_platform;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON partner_clients TO prep_platform;--> statement-breakpoint
GRANT SELECT (id, name) ON partners TO prep_app;--> statement-breakpoint
-- Grants: a partner onboarding a business writes the invited grant in the new tenant's
-- transaction; owners list, consent and revoke theirs (prep_app, row-level security); the
-- partner API and the token endpoint read and activate them as prep_platform. Never deleted.
GRANT SELECT, INSERT, UPDATE ON partner_grants TO prep_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON partner_grants TO prep_platform;--> statement-breakpoint
-- Authorization codes: written when an owner approves (prep_app), redeemed once by the token
-- endpoint (prep_platform).
GRANT INSERT ON partner_authorization_codes TO prep_app;--> statement-breakpoint
GRANT SELECT, UPDATE ON partner_authorization_codes TO prep_platform;--> statement-breakpoint
-- Forced, like every tenant table (db/rls-catalog.ts): not even the owner reads past the policies.
ALTER TABLE partner_grants FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE partner_authorization_codes FORCE ROW LEVEL SECURITY;
