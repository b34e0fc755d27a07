-- Partner webhooks (issue 21 item 4, ADR 0023): endpoints and their mirrors in tenant objects
-- are written by the partner API (prep_platform); tenant work never needs them.
GRANT SELECT, INSERT, DELETE ON partner_webhooks TO prep_platform;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON partner_webhook_mirrors TO prep_platform;--> statement-breakpoint
ALTER TABLE partner_webhook_mirrors FORCE ROW LEVEL SECURITY;
