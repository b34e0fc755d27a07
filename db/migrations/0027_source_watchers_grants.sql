-- Source watchers' platform tables: the watcher job, the admin review queue and the freshness
-- check (/v1/status) read and write them as prep_platform; tenant work (prep_app) never needs
-- them. Review items are resolved, never deleted.
GRANT SELECT, INSERT, UPDATE, DELETE ON watched_sources TO prep_platform;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON source_reviews TO prep_platform;
