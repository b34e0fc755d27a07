-- Roles the Worker uses. They carry no password and cannot log in: a login role (the one in
-- the Worker's DATABASE_URL) is granted membership and each transaction runs
-- `SET LOCAL ROLE prep_app` (tenant work, subject to row-level security) or
-- `SET LOCAL ROLE prep_platform` (platform jobs writing global regulatory data).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'prep_app') THEN
    CREATE ROLE prep_app NOLOGIN NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'prep_platform') THEN
    CREATE ROLE prep_platform NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;
