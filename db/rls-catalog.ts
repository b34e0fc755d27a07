/**
 * The catalog check of tenant isolation: every tenant table (a table with a `tenant_id`
 * column, and `tenants` itself) must have row-level security enabled and forced, and a
 * permissive policy for the app role (`prep_app`, directly, through a role it has the
 * privileges of, or PUBLIC) covering each of SELECT, INSERT, UPDATE and DELETE (a `FOR ALL`
 * policy covers all four). Run by db/rls-catalog.test.ts.
 *
 * Plain SQL with no parameters and this module has no imports, so a shell script can reuse
 * the query and the known list as they are (security_weekly_check.sh does, through tsx).
 */

/** The role tenant transactions run as (`SET LOCAL ROLE`, db/client.ts). */
export const APP_ROLE = "prep_app";

/**
 * One row per tenant table: `table_name` (schema-qualified), `rls_enabled`, `rls_forced`,
 * `missing_commands` (the commands no permissive policy for the app role covers) and
 * `problems` (empty when the table passes).
 */
export const TENANT_TABLES_RLS_SQL = `
WITH tenant_tables AS (
  SELECT c.oid,
         format('%I.%I', n.nspname, c.relname) AS table_name,
         c.relrowsecurity AS rls_enabled,
         c.relforcerowsecurity AS rls_forced
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p')
    AND n.nspname <> 'information_schema'
    AND n.nspname NOT LIKE 'pg\\_%'
    AND (
      EXISTS (
        SELECT 1 FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND a.attnum > 0 AND NOT a.attisdropped
      )
      OR (n.nspname = 'public' AND c.relname = 'tenants')
    )
),
commands (ord, cmd, name) AS (
  VALUES (1, 'r', 'SELECT'), (2, 'a', 'INSERT'), (3, 'w', 'UPDATE'), (4, 'd', 'DELETE')
),
checked AS (
  SELECT t.table_name, t.rls_enabled, t.rls_forced,
         ARRAY(
           SELECT k.name FROM commands k
           WHERE NOT EXISTS (
             SELECT 1 FROM pg_policy p
             WHERE p.polrelid = t.oid
               AND p.polpermissive
               AND p.polcmd IN ('*', k.cmd)
               AND EXISTS (
                 SELECT 1 FROM unnest(p.polroles) AS r (role_oid)
                 WHERE r.role_oid = 0 OR pg_has_role('${APP_ROLE}', r.role_oid, 'USAGE')
               )
           )
           ORDER BY k.ord
         ) AS missing_commands
  FROM tenant_tables t
)
SELECT table_name, rls_enabled, rls_forced, missing_commands,
       ARRAY_REMOVE(ARRAY[
         CASE WHEN NOT rls_enabled THEN 'row-level security not enabled' END,
         CASE WHEN NOT rls_forced THEN 'row-level security not forced' END,
         CASE WHEN cardinality(missing_commands) > 0
           THEN 'no permissive ${APP_ROLE} policy for ' || array_to_string(missing_commands, ', ') END
       ], NULL) AS problems
FROM checked
ORDER BY table_name
`;

/** The tenant tables that fail the check, with their problems: no rows means all pass. */
export const RLS_FAILURES_SQL = `
SELECT table_name, array_to_string(problems, '; ') AS problems
FROM (${TENANT_TABLES_RLS_SQL}) AS audit
WHERE cardinality(problems) > 0
ORDER BY table_name
`;

/**
 * Failures known today, each `<table>: <problems>`. No migration forces row-level security
 * yet (SECURITY.md: the SECURITY DEFINER lookups rely on their owner not being subject to
 * it), so every tenant table fails on that one count. Owned by the migrations; when a
 * migration forces it, db/rls-catalog.test.ts (and security_weekly_check.sh) fail until the entry goes, and it must end up empty.
 */
export const KNOWN_RLS_FAILURES: readonly string[] = [
  "api_keys",
  "audit_log",
  "billing_events",
  "checks",
  "credentials",
  // Evidence vault (0019).
  "evidence_exports",
  "evidence_schedules",
  "evidence_share_accesses",
  "evidence_share_links",
  "facilities",
  "inspections",
  "invites",
  "location_group_members",
  "location_groups",
  "password_resets",
  "permits",
  "staff",
  "temperature_logs",
  "tenants",
  "user_location_groups",
  "user_locations",
  "user_sessions",
  "users",
].map((table) => `public.${table}: row-level security not forced`);
