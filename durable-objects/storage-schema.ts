/**
 * The tenant object's SQLite schema, applied in order on construction. A migration is
 * never edited once shipped: append a new one (objects already hold data in the old shape).
 */
const MIGRATIONS: readonly string[] = [
  `
  -- Guards against a stub built with the wrong name: one object, one tenant.
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  -- The check ledger: every billable check, once. recorded_at is the metering time.
  CREATE TABLE checks (id TEXT PRIMARY KEY, recorded_at INTEGER NOT NULL, idempotency_key TEXT, record TEXT NOT NULL);
  CREATE INDEX checks_recorded_at ON checks (recorded_at);
  CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY, request_hash TEXT, check_id TEXT NOT NULL, created_at INTEGER NOT NULL
  );
  CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
  -- Exact counters kept beside the ledger, so usage survives ledger pruning.
  CREATE TABLE usage_hourly (
    hour_ms INTEGER NOT NULL, state TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (hour_ms, state)
  ) WITHOUT ROWID;
  -- Checks not yet known to be in Postgres.
  CREATE TABLE outbox (check_id TEXT PRIMARY KEY, enqueued_at INTEGER NOT NULL);

  -- The work the single alarm multiplexes, with its due time and failed attempts.
  CREATE TABLE jobs (name TEXT PRIMARY KEY, due_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0);

  -- Each facility's latest input and verdict, and when that verdict may next change.
  CREATE TABLE facilities (
    id TEXT PRIMARY KEY, input TEXT NOT NULL, verdict TEXT NOT NULL, cause TEXT NOT NULL,
    updated_ms INTEGER NOT NULL, reevaluate_due_ms INTEGER
  );
  CREATE INDEX facilities_reevaluate_due ON facilities (reevaluate_due_ms) WHERE reevaluate_due_ms IS NOT NULL;

  CREATE TABLE alerts (
    id TEXT PRIMARY KEY, facility_id TEXT NOT NULL, status TEXT NOT NULL, event TEXT NOT NULL,
    acknowledged_at TEXT, acknowledged_by TEXT
  );
  CREATE INDEX alerts_facility ON alerts (facility_id, id);
  `,
  `
  -- Checks Postgres refused (SQLSTATE class 22/23), isolated by bisecting the batch: out of
  -- the outbox so they block nothing, kept with the record and the reason for an operator.
  CREATE TABLE dead_letters (
    check_id TEXT PRIMARY KEY, idempotency_key TEXT, record TEXT NOT NULL, reason TEXT NOT NULL,
    sql_state TEXT, dead_at_ms INTEGER NOT NULL
  );

  -- Only in the platform's dead-letter registry object (DEAD_LETTER_REGISTRY): how many dead
  -- letters each tenant object holds, as that object last reported.
  CREATE TABLE dead_letter_objects (
    object_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, count INTEGER NOT NULL, reported_ms INTEGER NOT NULL
  );
  `,
  `
  -- Bounded storage (docs/tenant-object.md, "Bounded storage"). checks.record now holds either
  -- the record's JSON text (rows from before this migration) or a BLOB: the JSON's UTF-8,
  -- deflated (raw) with the preset dictionary dictionary_id (NULL: none). A BLOB larger than
  -- one part (RECORD_PART_BYTES, under the 2 MB row limit) is split into record_parts and
  -- record is then empty; parts says how many. size is what the row costs (record bytes plus
  -- an estimate of the row and index overhead); NULL on rows from before this migration.
  ALTER TABLE checks ADD COLUMN dictionary_id INTEGER;
  ALTER TABLE checks ADD COLUMN parts INTEGER;
  ALTER TABLE checks ADD COLUMN size INTEGER;
  CREATE INDEX checks_dictionary ON checks (dictionary_id) WHERE dictionary_id IS NOT NULL;
  -- Preset dictionaries (recent records' JSON, at most 32 KiB; 16 KiB since 2026-12), themselves stored deflated.
  CREATE TABLE ledger_dictionaries (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL, created_ms INTEGER NOT NULL);
  -- Parts of records too large for one row: owner is the check id (ledger) or 'dead:<check id>'.
  CREATE TABLE record_parts (
    owner TEXT NOT NULL, part INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (owner, part)
  );
  -- Dead letters' record: JSON text (before this migration) or a BLOB deflated without a
  -- dictionary, split into record_parts (owner 'dead:<check id>') when parts is set.
  ALTER TABLE dead_letters ADD COLUMN parts INTEGER;
  -- The running total of checks.size (rows from before: estimated the same way), for the budget.
  INSERT INTO meta (key, value)
    SELECT 'ledger_bytes', coalesce(sum(octet_length(record) + 2 * length(id) + coalesce(length(idempotency_key), 0) + 48), 0)
    FROM checks;
  `,
  `
  -- Each closed hour's counter as reported to Stripe's Meter (durable-objects/usage-reports.ts):
  -- 'reported' once Stripe accepted its event, 'unbilled' when the tenant had no subscription.
  CREATE TABLE meter_reports (
    hour_ms INTEGER NOT NULL, state TEXT NOT NULL, count INTEGER NOT NULL, outcome TEXT NOT NULL,
    settled_ms INTEGER NOT NULL, PRIMARY KEY (hour_ms, state)
  ) WITHOUT ROWID;
  `,
  `
  -- Notifications (durable-objects/notifications.ts, ADR 0015). Webhook endpoints with their
  -- signing secrets (JSON [{secret, expiresMs}]: the current one has expiresMs null).
  CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL, description TEXT,
    secrets TEXT NOT NULL, enabled INTEGER NOT NULL DEFAULT 1, disabled_reason TEXT,
    failing_since_ms INTEGER, created_ms INTEGER NOT NULL
  );
  -- Each user's notification preferences (JSON NotificationPreferences).
  CREATE TABLE notification_prefs (user_id TEXT PRIMARY KEY, prefs TEXT NOT NULL, updated_ms INTEGER NOT NULL);
  -- Every event raised (drift, emitted by other parts of Prep), once per (type, key).
  CREATE TABLE notification_events (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, key TEXT NOT NULL, event TEXT NOT NULL, created_ms INTEGER NOT NULL,
    UNIQUE (type, key)
  );
  -- The durable queue and its log: one delivery per (event, channel, target), ever.
  CREATE TABLE deliveries (
    id TEXT PRIMARY KEY, event_id TEXT NOT NULL, channel TEXT NOT NULL, target TEXT NOT NULL,
    status TEXT NOT NULL, digest INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
    due_ms INTEGER, last_status INTEGER, last_error TEXT, created_ms INTEGER NOT NULL, delivered_ms INTEGER,
    UNIQUE (event_id, channel, target)
  );
  CREATE INDEX deliveries_due ON deliveries (due_ms) WHERE status = 'pending';
  CREATE INDEX deliveries_target ON deliveries (channel, target, id);
  CREATE TABLE delivery_attempts (
    delivery_id TEXT NOT NULL, attempt INTEGER NOT NULL, at_ms INTEGER NOT NULL, ok INTEGER NOT NULL,
    response_status INTEGER, error TEXT, duration_ms INTEGER NOT NULL, PRIMARY KEY (delivery_id, attempt)
  );
  `,
  `
  -- Evidence exports being worked on (durable-objects/evidence-export.ts): the parameters as
  -- the Worker stored them in Postgres, the next location to export, failed attempts; and each
  -- exported location's file entry and summary until the export finishes.
  CREATE TABLE evidence_jobs (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, params TEXT NOT NULL, next_position INTEGER NOT NULL,
    attempts INTEGER NOT NULL, created_ms INTEGER NOT NULL
  );
  CREATE TABLE evidence_job_locations (
    job_id TEXT NOT NULL, position INTEGER NOT NULL, file TEXT NOT NULL, summary TEXT NOT NULL,
    PRIMARY KEY (job_id, position)
  ) WITHOUT ROWID;
  `,
  `
  -- Rule changes ahead (durable-objects/rule-changes.ts): one notice per coming rule change
  -- that breaks at least one of the tenant's locations, kept until 90 days after its date.
  CREATE TABLE rule_change_notices (
    id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL, effective_from TEXT NOT NULL, notice TEXT NOT NULL
  );
  CREATE INDEX rule_change_notices_effective ON rule_change_notices (effective_from);
  `,
  `
  -- Evidence exports finish in steps (index and keys, each report part, the signed manifest):
  -- how far an export's finishing got, so the next alarm run resumes there.
  ALTER TABLE evidence_jobs ADD COLUMN finishing TEXT;
  `,
  `
  -- Renewal reminders (durable-objects/renewal-reminders.ts): per credential or permit found
  -- current with a start-by date, the reminder step reached in the current cycle (one cycle
  -- per valid_through) and when the next step is due.
  CREATE TABLE renewal_reminders (
    facility_id TEXT NOT NULL, finding_key TEXT NOT NULL, facility_name TEXT NOT NULL,
    rule_id TEXT NOT NULL, title TEXT NOT NULL, citation TEXT NOT NULL, subject TEXT, holder TEXT,
    start_by TEXT NOT NULL, valid_through TEXT NOT NULL, step INTEGER NOT NULL,
    last_sent_ms INTEGER, next_due_ms INTEGER,
    PRIMARY KEY (facility_id, finding_key)
  ) WITHOUT ROWID;
  CREATE INDEX renewal_reminders_due ON renewal_reminders (next_due_ms) WHERE next_due_ms IS NOT NULL;
  `,
  `
  -- SMS (durable-objects/sms-phones.ts, ADR 0021): each user's verified phone number, and a
  -- number waiting for its code (an HMAC of the code, never the code; its expiry and the wrong
  -- guesses so far; how many codes went out in the current hour, for the send limit).
  CREATE TABLE sms_phones (
    user_id TEXT PRIMARY KEY, phone TEXT, verified_ms INTEGER, pending_phone TEXT, code_hash TEXT,
    code_expires_ms INTEGER, code_attempts INTEGER NOT NULL DEFAULT 0, window_start_ms INTEGER,
    sent_in_window INTEGER NOT NULL DEFAULT 0, last_sent_ms INTEGER
  );
  -- An SMS delivery's Twilio message SID and the last status Twilio reported for it.
  ALTER TABLE deliveries ADD COLUMN provider_id TEXT;
  ALTER TABLE deliveries ADD COLUMN provider_status TEXT;
  `,
  `
  -- Regional meter shards (ADR 0025). In the tenant's home object: the regions whose shards
  -- hold checks, which reads merge. In a regional shard: its own region once the home object
  -- has it, so only its first check pays the trip home.
  CREATE TABLE meter_regions (region TEXT PRIMARY KEY, registered_ms INTEGER NOT NULL) WITHOUT ROWID;
  `,
];

export function migrate(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
  const applied =
    sql.exec<{ version: number | null }>("SELECT max(version) AS version FROM schema_migrations").one()
      .version ?? 0;
  for (let version = applied + 1; version <= MIGRATIONS.length; version++) {
    sql.exec(MIGRATIONS[version - 1] as string);
    sql.exec("INSERT INTO schema_migrations (version) VALUES (?)", version);
  }
}
