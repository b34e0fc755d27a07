-- Tamper-evident audit trail: every tenant's audit_log entries form one hash chain, and
-- platform_audit_log forms another. Each entry stores its position (seq), the previous
-- entry's hash (prev_hash; 64 zeros for the first) and its own hash: SHA-256 over
-- prep_audit_canonical(), which includes prev_hash. db/audit-chain.ts appends and verifies.
--
-- The canonical serialisation is a JSON array, rendered by jsonb so it is byte-for-byte
-- stable: [prev_hash, seq, id, tenant_id, actor, action, target, detail, at (UTC, µs)].
CREATE FUNCTION prep_audit_canonical(
  p_prev_hash text, p_seq bigint, p_id text, p_tenant_id text, p_actor text, p_action text,
  p_target text, p_detail jsonb, p_at timestamptz
) RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
  SELECT jsonb_build_array(
    p_prev_hash, p_seq, p_id, p_tenant_id, p_actor, p_action, p_target, p_detail,
    to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  )::text
$$;--> statement-breakpoint
CREATE FUNCTION prep_audit_hash(
  p_prev_hash text, p_seq bigint, p_id text, p_tenant_id text, p_actor text, p_action text,
  p_target text, p_detail jsonb, p_at timestamptz
) RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
  SELECT encode(sha256(convert_to(
    prep_audit_canonical(p_prev_hash, p_seq, p_id, p_tenant_id, p_actor, p_action, p_target, p_detail, p_at),
    'UTF8'
  )), 'hex')
$$;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "platform_audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "platform_audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "platform_audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
-- Backfill: existing entries join their chain in the order they were written (at, then id).
DO $$
DECLARE
  r record;
  prev text;
  chain text;
  n bigint;
BEGIN
  chain := NULL;
  FOR r IN SELECT * FROM audit_log ORDER BY tenant_id, at, id LOOP
    IF chain IS DISTINCT FROM r.tenant_id THEN
      chain := r.tenant_id;
      prev := repeat('0', 64);
      n := 0;
    END IF;
    n := n + 1;
    UPDATE audit_log SET seq = n, prev_hash = prev,
      hash = prep_audit_hash(prev, n, r.id, r.tenant_id, r.actor, r.action, r.target, r.detail, r.at)
    WHERE id = r.id RETURNING hash INTO prev;
  END LOOP;
  prev := repeat('0', 64);
  n := 0;
  FOR r IN SELECT * FROM platform_audit_log ORDER BY at, id LOOP
    n := n + 1;
    UPDATE platform_audit_log SET seq = n, prev_hash = prev,
      hash = prep_audit_hash(prev, n, r.id, NULL, r.actor, r.action, r.target, r.detail, r.at)
    WHERE id = r.id RETURNING hash INTO prev;
  END LOOP;
END
$$;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "platform_audit_log" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "platform_audit_log" ALTER COLUMN "prev_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "platform_audit_log" ALTER COLUMN "hash" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_chain_idx" ON "audit_log" USING btree ("tenant_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "platform_audit_log_chain_idx" ON "platform_audit_log" USING btree ("seq");--> statement-breakpoint
-- Entries are appended, never edited: the application roles lose UPDATE.
REVOKE UPDATE ON audit_log FROM prep_app;--> statement-breakpoint
REVOKE UPDATE ON platform_audit_log FROM prep_platform;
