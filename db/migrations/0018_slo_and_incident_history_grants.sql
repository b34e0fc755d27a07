-- Operations' platform tables: the hourly SLO job and the admin API read and write them as
-- prep_platform; tenant work (prep_app) never needs them.
GRANT SELECT, INSERT, UPDATE, DELETE ON incident_history, slo_hours TO prep_platform;
