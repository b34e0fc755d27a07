/**
 * The Postgres schema (drizzle). `npm run db:generate` turns changes here into a committed
 * migration under db/migrations.
 *
 * Tenancy: every tenant-owned table has `tenant_id` and a row-level-security policy that
 * only shows rows whose tenant is the transaction's `app.tenant_id`. The Worker runs tenant
 * transactions as the `prep_app` role (no BYPASSRLS), so even a raw query cannot cross
 * tenants. Platform tables (jurisdictions, datasets, dataset versions, rules) are global and
 * read-only for `prep_app`; platform jobs write them as `prep_platform`.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgRole,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { PLAN_IDS } from "../billing/catalog";
import { SUBSCRIPTION_STATUSES } from "../billing/entitlements";

export const appRole = pgRole("prep_app").existing();

/**
 * `timestamp with time zone`, read back as RFC 3339 in UTC (`2026-11-25T19:50:49.792Z`)
 * rather than Postgres's text form (`2026-11-25 19:50:49.792+00`), since these values go
 * straight into API responses.
 */
const timestamptz = customType<{ data: string; driverData: string }>({
  dataType: () => "timestamp with time zone",
  fromDriver: (value) => new Date(value).toISOString(),
});

const tenantMatches = sql`tenant_id = current_setting('app.tenant_id', true)`;
const tenantIsolation = pgPolicy("tenant_isolation", {
  as: "permissive",
  for: "all",
  to: appRole,
  using: tenantMatches,
  withCheck: tenantMatches,
});

const createdAt = () => timestamptz("created_at").notNull().default(sql`now()`);
const tenantId = () => text("tenant_id").notNull();

export const tenants = pgTable(
  "tenants",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** The catalog's plan (billing/catalog.ts); a trial names the plan it converts to. */
    plan: text("plan", { enum: PLAN_IDS }).notNull().default("starter"),
    billingStatus: text("billing_status", { enum: SUBSCRIPTION_STATUSES }).notNull().default("trialing"),
    /** States bought, USPS codes: the plan's included ones first, then add-ons. */
    states: text("states").array().notNull().default(sql`'{}'::text[]`),
    trialEndsAt: timestamptz("trial_ends_at"),
    pastDueSince: timestamptz("past_due_since"),
    periodStart: timestamptz("period_start"),
    periodEnd: timestamptz("period_end"),
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    billingUpdatedAt: timestamptz("billing_updated_at"),
    createdAt: createdAt(),
  },
  () => [
    pgPolicy("tenant_isolation", {
      as: "permissive",
      for: "all",
      to: appRole,
      using: sql`id = current_setting('app.tenant_id', true)`,
      withCheck: sql`id = current_setting('app.tenant_id', true)`,
    }),
  ],
);

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    name: text("name"),
    passwordHash: text("password_hash"),
    role: text("role", { enum: ["owner", "admin", "manager", "viewer"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`), tenantIsolation],
);

/**
 * A pending invitation to join a tenant. The token is shown once (in the invite link) and
 * stored as SHA-256; accepting it creates the user with `role` and, for managers, the chosen
 * locations and groups.
 */
export const invites = pgTable(
  "invites",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: ["owner", "admin", "manager", "viewer"] }).notNull(),
    facilityIds: text("facility_ids").array().notNull().default(sql`'{}'`),
    groupIds: text("group_ids").array().notNull().default(sql`'{}'`),
    tokenHash: text("token_hash").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    acceptedAt: timestamptz("accepted_at"),
  },
  (t) => [uniqueIndex("invites_token_hash_key").on(t.tokenHash), tenantIsolation],
);

/**
 * A signed-in browser session (docs/decisions/0011-sessions-mail-and-verification.md). The
 * cookie's signed JWT names the row's id; the row decides whether the session still counts:
 * revoked on sign-out, on a password change or reset (every other session), by an owner or
 * admin, or past `expires_at`.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    revokedAt: timestamptz("revoked_at"),
    /** Who revoked it: the user's own id (sign-out, password change), or an owner's or admin's. */
    revokedBy: text("revoked_by"),
    /** As the browser sent it, cut to 256 characters: lets people recognise their devices. */
    userAgent: text("user_agent"),
    /** The client address at sign-in (`cf-connecting-ip`). */
    createdIp: text("created_ip"),
  },
  (t) => [index("user_sessions_user_idx").on(t.tenantId, t.userId, t.createdAt), tenantIsolation],
);

/**
 * A password-reset link: the token is only in the emailed link; its SHA-256 is stored. Works
 * once (`used_at`) and for an hour. Found before the tenant is known through
 * `prep_find_password_reset`.
 */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
  },
  (t) => [uniqueIndex("password_resets_token_hash_key").on(t.tokenHash), tenantIsolation],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The non-secret lookup prefix shown in lists, e.g. `prep_test_3fa9c1d2`. */
    prefix: text("prefix").notNull(),
    /** Hex SHA-256 of the whole key; the key itself is never stored. */
    hash: text("hash").notNull(),
    mode: text("mode", { enum: ["live", "test"] }).notNull(),
    scopes: text("scopes").array().notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamptz("last_used_at"),
    revokedAt: timestamptz("revoked_at"),
    /** Why it was revoked when Prep did it rather than a person (e.g. `creator_removed`); null otherwise. */
    revokedReason: text("revoked_reason"),
    /** After this the key answers 401; null = no expiry. */
    expiresAt: timestamptz("expires_at"),
    /**
     * The user who made it (a session's user, or the user behind the key that made it): the key
     * lives only as long as their membership and role allow. Null for keys made by Prep's
     * operators (the CLI, sign-up's first key).
     */
    createdBy: text("created_by"),
    /** Made by an owner as a service key: it outlives its creator's membership. */
    service: boolean("service").notNull().default(false),
  },
  (t) => [
    uniqueIndex("api_keys_prefix_key").on(t.prefix),
    index("api_keys_created_by_idx").on(t.tenantId, t.createdBy),
    tenantIsolation,
  ],
);

export const facilities = pgTable(
  "facilities",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: text("type").notNull(),
    addressLine1: text("address_line1"),
    city: text("city").notNull(),
    county: text("county"),
    state: text("state").notNull(),
    postalCode: text("postal_code"),
    handlesUnpackagedTcsFood: boolean("handles_unpackaged_tcs_food").notNull().default(true),
    openedAt: date("opened_at", { mode: "string" }),
    ownershipChangedAt: date("ownership_changed_at", { mode: "string" }),
    /** When its last certified owner or employee left (HSC §113947.1's 60 days run from then). */
    certificateHolderLeftAt: date("certificate_holder_left_at", { mode: "string" }),
    /** Serves a highly susceptible population; null = not stated. */
    servesHighlySusceptiblePopulation: boolean("serves_highly_susceptible_population"),
    /** Locations in its chain under the same name and menu (21 CFR 101.11); null = not stated. */
    chainLocations: integer("chain_locations"),
    /** Notices it states are on display (NOTICE_TYPES); null = not stated, {} = none. */
    postedNotices: text("posted_notices").array(),
    /** The latest verdict's status; null until the facility is first checked. */
    status: text("status", { enum: ["compliant", "at_risk", "non_compliant"] }),
    lastCheckedAt: timestamptz("last_checked_at"),
    createdAt: createdAt(),
    updatedAt: timestamptz("updated_at").notNull().default(sql`now()`),
  },
  (t) => [index("facilities_tenant_state_idx").on(t.tenantId, t.state, t.id), tenantIsolation],
);

export const permits = pgTable(
  "permits",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    facilityId: text("facility_id")
      .notNull()
      .references(() => facilities.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    number: text("number"),
    issuer: text("issuer"),
    issuedAt: date("issued_at", { mode: "string" }),
    expiresAt: date("expires_at", { mode: "string" }),
    position: integer("position").notNull(),
  },
  (t) => [index("permits_facility_idx").on(t.facilityId), tenantIsolation],
);

export const staff = pgTable(
  "staff",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    facilityId: text("facility_id")
      .notNull()
      .references(() => facilities.id, { onDelete: "cascade" }),
    /** The caller's own id for the person (the check contract's `staff[].id`). */
    externalId: text("external_id").notNull(),
    name: text("name"),
    role: text("role").notNull(),
    hiredAt: date("hired_at", { mode: "string" }).notNull(),
    position: integer("position").notNull(),
  },
  (t) => [uniqueIndex("staff_facility_external_key").on(t.facilityId, t.externalId), tenantIsolation],
);

export const credentials = pgTable(
  "credentials",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staff.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    issuer: text("issuer"),
    issuedAt: date("issued_at", { mode: "string" }),
    expiresAt: date("expires_at", { mode: "string" }),
    position: integer("position").notNull(),
  },
  (t) => [index("credentials_staff_idx").on(t.staffId), tenantIsolation],
);

export const inspections = pgTable(
  "inspections",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    facilityId: text("facility_id")
      .notNull()
      .references(() => facilities.id, { onDelete: "cascade" }),
    date: date("date", { mode: "string" }).notNull(),
    // Double precision holds every finite number a client can send (real underflows below 1e-38).
    score: doublePrecision("score"),
    grade: text("grade"),
    criticalViolations: integer("critical_violations"),
    position: integer("position").notNull(),
  },
  (t) => [index("inspections_facility_idx").on(t.facilityId), tenantIsolation],
);

export const temperatureLogs = pgTable(
  "temperature_logs",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    facilityId: text("facility_id")
      .notNull()
      .references(() => facilities.id, { onDelete: "cascade" }),
    at: timestamptz("at").notNull(),
    item: text("item"),
    /** What the reading is of (compliance/schema/facility.ts ITEM_CATEGORIES); null = not stated. */
    category: text("category"),
    mode: text("mode", { enum: ["cold_holding", "hot_holding"] }).notNull(),
    tempF: doublePrecision("temp_f").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [index("temperature_logs_facility_idx").on(t.facilityId), tenantIsolation],
);

/** Groups of locations (a region, a brand) for chains: filters and manager assignments. */
export const locationGroups = pgTable(
  "location_groups",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["region", "brand"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("location_groups_name_key").on(t.tenantId, t.kind, sql`lower(${t.name})`),
    tenantIsolation,
  ],
);

export const locationGroupMembers = pgTable(
  "location_group_members",
  {
    tenantId: tenantId(),
    groupId: text("group_id")
      .notNull()
      .references(() => locationGroups.id, { onDelete: "cascade" }),
    facilityId: text("facility_id")
      .notNull()
      .references(() => facilities.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.facilityId] }),
    index("location_group_members_facility_idx").on(t.facilityId),
    tenantIsolation,
  ],
);

/** A manager's locations: assigned one by one or through a group (the union counts). */
export const userLocations = pgTable(
  "user_locations",
  {
    tenantId: tenantId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    facilityId: text("facility_id")
      .notNull()
      .references(() => facilities.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.facilityId] }), tenantIsolation],
);

export const userLocationGroups = pgTable(
  "user_location_groups",
  {
    tenantId: tenantId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => locationGroups.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupId] }), tenantIsolation],
);

/** Check history. Written from the tenant Durable Object's outbox: the upsert key is `id`. */
export const checks = pgTable(
  "checks",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    facilityId: text("facility_id"),
    idempotencyKey: text("idempotency_key"),
    asOf: date("as_of", { mode: "string" }).notNull(),
    evaluatedAt: timestamptz("evaluated_at").notNull(),
    status: text("status").notNull(),
    state: text("state").notNull(),
    result: jsonb("result").notNull(),
  },
  (t) => [index("checks_tenant_facility_idx").on(t.tenantId, t.facilityId, t.id), tenantIsolation],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    detail: jsonb("detail"),
    at: timestamptz("at").notNull().default(sql`now()`),
    /** Position in the tenant's hash chain, from 1 (db/audit-chain.ts). */
    seq: bigint("seq", { mode: "number" }).notNull(),
    /** The previous entry's `hash`; 64 zeros for the first entry of a chain. */
    prevHash: text("prev_hash").notNull(),
    /** SHA-256 (hex) of the entry's canonical serialisation, which includes `prev_hash`. */
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_log_tenant_idx").on(t.tenantId, t.at),
    uniqueIndex("audit_log_chain_idx").on(t.tenantId, t.seq),
    tenantIsolation,
  ],
);

// ---- Platform tables: global regulatory data, no tenant. ----

export const jurisdictions = pgTable("jurisdictions", {
  ocdId: text("ocd_id").primaryKey(),
  name: text("name").notNull(),
  level: text("level", { enum: ["country", "state", "county", "place"] }).notNull(),
  parentId: text("parent_id"),
});

export const datasets = pgTable("datasets", {
  jurisdiction: text("jurisdiction").primaryKey(),
  name: text("name").notNull(),
  sourceUrl: text("source_url"),
  trusted: boolean("trusted").notNull().default(true),
  activeVersionId: text("active_version_id"),
  etag: text("etag"),
  /** Last successful refresh (a new version, the same content, or a 304): the freshness SLO's clock. */
  lastRefreshedAt: timestamptz("last_refreshed_at"),
  /** Consecutive failed refreshes; 0 after a success. Drives the retry backoff. */
  failureCount: integer("failure_count").notNull().default(0),
  /** When the hourly job retries a failed refresh; null when nothing is due. */
  nextAttemptAt: timestamptz("next_attempt_at"),
  lastError: text("last_error"),
  /**
   * The rules in force as tenants last heard of them (active version + overrides in force).
   * The drift sweep re-evaluates affected tenants whenever the current fingerprint differs.
   */
  propagatedFingerprint: text("propagated_fingerprint"),
});

export const datasetVersions = pgTable(
  "dataset_versions",
  {
    id: text("id").primaryKey(),
    jurisdiction: text("jurisdiction")
      .notNull()
      .references(() => datasets.jurisdiction),
    version: text("version").notNull(),
    contentHash: text("content_hash").notNull(),
    content: jsonb("content").notNull(),
    source: text("source").notNull(),
    fetchedAt: timestamptz("fetched_at").notNull(),
    approvedBy: text("approved_by"),
    /**
     * Who or what started the refresh that fetched it (an admin id, "cron", "retry", "cli",
     * "seed"): the one who may not approve it. Null for versions stored before it was recorded.
     */
    createdBy: text("created_by"),
    status: text("status", { enum: ["active", "pending", "superseded", "rejected"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("dataset_versions_hash_key").on(t.jurisdiction, t.contentHash)],
);

export const rules = pgTable(
  "rules",
  {
    datasetVersionId: text("dataset_version_id")
      .notNull()
      .references(() => datasetVersions.id, { onDelete: "cascade" }),
    /** The rule's place in the dataset: one id may appear several times, once per effective window. */
    position: integer("position").notNull(),
    ruleId: text("rule_id").notNull(),
    title: text("title").notNull(),
    citation: text("citation").notNull(),
    severity: text("severity").notNull(),
    verified: boolean("verified").notNull(),
    effectiveFrom: date("effective_from", { mode: "string" }),
    effectiveTo: date("effective_to", { mode: "string" }),
    body: jsonb("body").notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetVersionId, t.position] }), index("rules_rule_id_idx").on(t.ruleId)],
);

/** One run of the refresh job (nightly, hourly retries, CLI or admin endpoint) and its per-dataset report. */
export const refreshRuns = pgTable("refresh_runs", {
  id: text("id").primaryKey(),
  trigger: text("trigger", { enum: ["cron", "retry", "cli", "admin"] }).notNull(),
  /** Who or what started it: the platform admin's id, or "cron" / "cli" for the scheduler and the CLI. */
  startedBy: text("started_by").notNull().default("unrecorded"),
  startedAt: timestamptz("started_at").notNull().default(sql`now()`),
  finishedAt: timestamptz("finished_at"),
  status: text("status", { enum: ["running", "succeeded", "partial", "failed"] }).notNull(),
  report: jsonb("report"),
});

/** One dataset's outcome within a run: what was fetched, what happened, when to retry. */
export const refreshAttempts = pgTable(
  "refresh_attempts",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => refreshRuns.id, { onDelete: "cascade" }),
    jurisdiction: text("jurisdiction").notNull(),
    at: timestamptz("at").notNull().default(sql`now()`),
    outcome: text("outcome", { enum: ["created", "pending_review", "unchanged", "failed"] }).notNull(),
    /** For failures: http_error, timeout, network, invalid_json, invalid_dataset, rules_dropped. */
    errorCode: text("error_code"),
    detail: text("detail"),
    versionId: text("version_id"),
    contentHash: text("content_hash"),
    nextAttemptAt: timestamptz("next_attempt_at"),
    /** The version-to-version diff report of a new version (the nightly data_diff_report). */
    diff: jsonb("diff"),
  },
  (t) => [index("refresh_attempts_jurisdiction_idx").on(t.jurisdiction, t.at)],
);

/** Prep's own operators: separate from tenants, authenticated by `prep_admin_…` keys. */
export const platformAdmins = pgTable(
  "platform_admins",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    keyPrefix: text("key_prefix").notNull(),
    /** Hex SHA-256 of the admin key; the key itself is shown once and never stored. */
    keyHash: text("key_hash").notNull(),
    createdAt: createdAt(),
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [
    uniqueIndex("platform_admins_email_key").on(sql`lower(${t.email})`),
    uniqueIndex("platform_admins_prefix_key").on(t.keyPrefix),
  ],
);

/**
 * A manual rule change layered on a jurisdiction's dataset: `replace` swaps fields of an
 * existing rule, `add` adds a rule. In force only once a second operator approved it, from
 * `effective_from` until `expires_at` (exclusive, like a rule's effectiveTo).
 */
export const datasetOverrides = pgTable(
  "dataset_overrides",
  {
    id: text("id").primaryKey(),
    jurisdiction: text("jurisdiction")
      .notNull()
      .references(() => datasets.jurisdiction),
    action: text("action", { enum: ["replace", "add"] }).notNull(),
    ruleId: text("rule_id").notNull(),
    /** replace: the rule fields to replace; add: the whole rule. */
    rule: jsonb("rule").notNull(),
    reason: text("reason").notNull(),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    expiresAt: date("expires_at", { mode: "string" }).notNull(),
    status: text("status", { enum: ["pending", "approved", "rejected", "revoked"] }).notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    decidedBy: text("decided_by"),
    decidedAt: timestamptz("decided_at"),
  },
  (t) => [index("dataset_overrides_jurisdiction_idx").on(t.jurisdiction, t.status)],
);

/**
 * A proposed change of where a dataset is refreshed from and whether it is trusted: it takes
 * effect only when a different platform admin approves it (four eyes, like overrides).
 */
export const datasetSourceChanges = pgTable(
  "dataset_source_changes",
  {
    id: text("id").primaryKey(),
    jurisdiction: text("jurisdiction")
      .notNull()
      .references(() => datasets.jurisdiction),
    sourceUrl: text("source_url").notNull(),
    trusted: boolean("trusted").notNull(),
    status: text("status", { enum: ["pending", "approved", "rejected"] }).notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    decidedBy: text("decided_by"),
    decidedAt: timestamptz("decided_at"),
  },
  (t) => [index("dataset_source_changes_jurisdiction_idx").on(t.jurisdiction, t.status)],
);

/** Platform-level audit trail (audit_log is per tenant): overrides, version approvals, admins. */
export const platformAuditLog = pgTable(
  "platform_audit_log",
  {
    id: text("id").primaryKey(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    detail: jsonb("detail"),
    at: timestamptz("at").notNull().default(sql`now()`),
    /** Position in the platform hash chain, from 1 (db/audit-chain.ts). */
    seq: bigint("seq", { mode: "number" }).notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("platform_audit_log_at_idx").on(t.at), uniqueIndex("platform_audit_log_chain_idx").on(t.seq)],
);

/** Open and resolved incidents sent to the on-call webhook, by PagerDuty dedup key. */
export const incidents = pgTable("incidents", {
  dedupKey: text("dedup_key").primaryKey(),
  status: text("status", { enum: ["triggered", "resolved"] }).notNull(),
  summary: text("summary").notNull(),
  triggeredAt: timestamptz("triggered_at").notNull(),
  resolvedAt: timestamptz("resolved_at"),
});

/**
 * A sign-up waiting for its email to be verified: no tenant or user exists yet, so it blocks
 * nobody (several may name one address; the first verified wins) and lapses after 24 hours.
 * Not a tenant table: prep_app has no privileges on it and reaches it only through the
 * `prep_start_signup` and `prep_take_signup` functions.
 */
export const pendingSignups = pgTable(
  "pending_signups",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    companyName: text("company_name").notNull(),
    name: text("name"),
    passwordHash: text("password_hash").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (t) => [
    uniqueIndex("pending_signups_token_hash_key").on(t.tokenHash),
    index("pending_signups_expires_idx").on(t.expiresAt),
  ],
);

/**
 * Stripe webhook events applied, one row per `event.id`, inserted in the same transaction
 * as the event's effect: a redelivered event finds its row and changes nothing.
 */
export const billingEvents = pgTable(
  "billing_events",
  {
    eventId: text("event_id").primaryKey(),
    tenantId: tenantId(),
    type: text("type").notNull(),
    /** Stripe's `created` for the event. */
    createdAt: timestamptz("created_at").notNull(),
    appliedAt: timestamptz("applied_at").notNull().default(sql`now()`),
  },
  (t) => [index("billing_events_tenant_idx").on(t.tenantId, t.appliedAt), tenantIsolation],
);

/**
 * Every incident, one row per occurrence (`incidents` keeps only each dedup key's latest
 * state): opened and resolved times, from which MTTR is computed (db/incidents.ts).
 */
export const incidentHistory = pgTable(
  "incident_history",
  {
    id: text("id").primaryKey(),
    dedupKey: text("dedup_key").notNull(),
    summary: text("summary").notNull(),
    openedAt: timestamptz("opened_at").notNull(),
    resolvedAt: timestamptz("resolved_at"),
  },
  (t) => [index("incident_history_key_idx").on(t.dedupKey, t.openedAt)],
);

/**
 * Good and total events per SLO and hour (requests that were not 5xx, checks under the
 * latency threshold, datasets fresh), written by the hourly job (pipeline/slo.ts): burn rates
 * and the 30-day values of GET /v1/admin/slo are sums over these rows.
 */
export const sloHours = pgTable(
  "slo_hours",
  {
    slo: text("slo").notNull(),
    hour: timestamptz("hour").notNull(),
    good: bigint("good", { mode: "number" }).notNull(),
    total: bigint("total", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.slo, t.hour] })],
);

// ---- Evidence vault (docs/evidence.md): export metadata, auditor share links, access log.
// The exported files themselves live in R2 (EVIDENCE_BUCKET), never here.

/**
 * An evidence export of some locations over a period: its parameters, progress and, once
 * ready, its files (name, content type, size, SHA-256). Run by the tenant object's alarm.
 */
export const evidenceExports = pgTable(
  "evidence_exports",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["queued", "running", "ready", "failed"] }).notNull(),
    /** `manual` (POST /v1/exports) or `scheduled` (the monthly/quarterly schedule). */
    trigger: text("trigger", { enum: ["manual", "scheduled"] }).notNull(),
    /** The locations exported, resolved when the export was asked for. */
    facilityIds: text("facility_ids").array().notNull(),
    /** Whether the caller asked for every location (facilityIds then lists them all). */
    allFacilities: boolean("all_facilities").notNull(),
    periodFrom: date("period_from", { mode: "string" }).notNull(),
    /** Inclusive. */
    periodTo: date("period_to", { mode: "string" }).notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    startedAt: timestamptz("started_at"),
    finishedAt: timestamptz("finished_at"),
    locationsDone: integer("locations_done").notNull().default(0),
    error: text("error"),
    files: jsonb("files"),
    /** SHA-256 of manifest.json once ready. */
    manifestSha256: text("manifest_sha256"),
  },
  (t) => [index("evidence_exports_tenant_idx").on(t.tenantId, t.id), tenantIsolation],
);

/** Read-only links for auditors: the token is shown once, only its SHA-256 is stored. */
export const evidenceShareLinks = pgTable(
  "evidence_share_links",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    exportId: text("export_id")
      .notNull()
      .references(() => evidenceExports.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    /** The auditor the link was made for, when given. */
    email: text("email"),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    revokedAt: timestamptz("revoked_at"),
    revokedBy: text("revoked_by"),
  },
  (t) => [
    uniqueIndex("evidence_share_links_token_key").on(t.tokenHash),
    index("evidence_share_links_export_idx").on(t.tenantId, t.exportId),
    tenantIsolation,
  ],
);

/** Every request made with a share link, granted or refused: the tenant sees who looked. */
export const evidenceShareAccesses = pgTable(
  "evidence_share_accesses",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    shareId: text("share_id")
      .notNull()
      .references(() => evidenceShareLinks.id, { onDelete: "cascade" }),
    at: timestamptz("at").notNull().default(sql`now()`),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** `page` or the file downloaded. */
    resource: text("resource").notNull(),
    outcome: text("outcome", { enum: ["granted", "expired", "revoked"] }).notNull(),
  },
  (t) => [index("evidence_share_accesses_share_idx").on(t.tenantId, t.shareId, t.at), tenantIsolation],
);

/** A tenant's scheduled exports: one row per tenant, run by the hourly cron when a period closes. */
export const evidenceSchedules = pgTable(
  "evidence_schedules",
  {
    tenantId: text("tenant_id")
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    cadence: text("cadence", { enum: ["monthly", "quarterly"] }).notNull(),
    /** null = every location at the time of each run. */
    facilityIds: text("facility_ids").array(),
    createdBy: text("created_by").notNull(),
    updatedAt: timestamptz("updated_at").notNull().default(sql`now()`),
    /** The last period (its first day) an export was queued for: the cron queues each once. */
    lastPeriodFrom: date("last_period_from", { mode: "string" }),
  },
  () => [tenantIsolation],
);
// ---- Product analytics (issue 23, docs/tracking-plan.md, ADR 0018) ----

export const platformRole = pgRole("prep_platform").existing();

/**
 * The durable queue of product-analytics events (runtime/analytics-outbox.ts): a row is
 * written in the same transaction as what it records (a check delivered to `checks`, a plan
 * change, a facility) and deleted once every configured destination (Segment, Amplitude)
 * accepted it. Properties are already cut to the tracking plan; the user id is pseudonymised
 * only when the event leaves (the HMAC key stays with the drain). `dead_at` set: a dead
 * letter (refused by a destination, or out of attempts), kept for the operator (RUNBOOK.md).
 */
export const analyticsOutbox = pgTable(
  "analytics_outbox",
  {
    /** Segment's `messageId` and Amplitude's `insert_id`: stable per occurrence. */
    messageId: text("message_id").primaryKey(),
    tenantId: tenantId(),
    event: text("event").notNull(),
    userId: text("user_id"),
    properties: jsonb("properties").notNull(),
    occurredAt: timestamptz("occurred_at").notNull(),
    enqueuedAt: timestamptz("enqueued_at").notNull().default(sql`now()`),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().default(sql`now()`),
    /** A drain claimed the row until then (another drain skips it). */
    leasedUntil: timestamptz("leased_until"),
    lastError: text("last_error"),
    deadAt: timestamptz("dead_at"),
  },
  (t) => [
    index("analytics_outbox_due_idx").on(t.nextAttemptAt).where(sql`dead_at IS NULL`),
    tenantIsolation,
    // The drain (a platform job) reads and settles every tenant's rows.
    pgPolicy("platform_drain", { as: "permissive", for: "all", to: platformRole, using: sql`true` }),
  ],
);

// ---- SMS opt-outs (issue 18, ADR 0021) ----

/**
 * Phone numbers that replied STOP (or a synonym) to Prep's Twilio number, per number across
 * every tenant: a person who texted STOP gets no SMS from any tenant until they text START.
 * Written by the inbound-message webhook (and when Twilio answers 21610), read before every
 * SMS; as the platform role (no tenant owns a phone number's opt-out).
 */
export const smsOptOuts = pgTable("sms_opt_outs", {
  /** E.164. */
  phone: text("phone").primaryKey(),
  optedOut: boolean("opted_out").notNull(),
  /** What changed it last: the keyword texted (STOP, START…) or `twilio:21610`. */
  source: text("source").notNull(),
  updatedAt: timestamptz("updated_at").notNull().default(sql`now()`),
});

// ---- Source watchers (issue 20, docs/data-pipeline.md "Source watchers", ADR 0020) ----

/**
 * Each watched official source (compliance/sources/watched.json) as the watcher last saw it:
 * what the list says (kind, URL, the datasets and rules citing it), the validators for
 * conditional requests, the normalised text and its hash, and when it was last checked,
 * answered and changed. Failures back off (`next_attempt_at`, never before a Retry-After).
 */
export const watchedSources = pgTable("watched_sources", {
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  title: text("title").notNull(),
  url: text("url").notNull(),
  datasets: text("datasets").array().notNull(),
  ruleIds: text("rule_ids").array().notNull(),
  etag: text("etag"),
  lastModified: text("last_modified"),
  contentHash: text("content_hash"),
  /** The normalised text behind `content_hash`: the left side of the next change's diff. */
  contentText: text("content_text"),
  lastCheckedAt: timestamptz("last_checked_at"),
  /** Last answer that was read (200 or 304): "its watchers ran" in the freshness SLO. */
  lastSuccessAt: timestamptz("last_success_at"),
  lastChangedAt: timestamptz("last_changed_at"),
  failureCount: integer("failure_count").notNull().default(0),
  nextAttemptAt: timestamptz("next_attempt_at"),
  lastError: text("last_error"),
});

/**
 * A change of a watched source waiting for (or past) a compliance reviewer: the unified diff
 * of its normalised text, the source, and the datasets and rules citing it. At most one open
 * item per source (a further change updates it); resolved with a note naming the dataset
 * version that addressed it, or that no change was needed.
 */
export const sourceReviews = pgTable(
  "source_reviews",
  {
    id: text("id").primaryKey(),
    sourceId: text("source_id").notNull(),
    sourceKind: text("source_kind").notNull(),
    sourceTitle: text("source_title").notNull(),
    sourceUrl: text("source_url").notNull(),
    datasets: text("datasets").array().notNull(),
    ruleIds: text("rule_ids").array().notNull(),
    fromHash: text("from_hash").notNull(),
    toHash: text("to_hash").notNull(),
    /** The text the review compares against (the source before its first unreviewed change). */
    baseText: text("base_text").notNull(),
    diff: text("diff").notNull(),
    /** How many changes the item covers (a change while it is open updates it). */
    changes: integer("changes").notNull().default(1),
    status: text("status", { enum: ["open", "resolved"] }).notNull(),
    openedAt: timestamptz("opened_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
    resolvedAt: timestamptz("resolved_at"),
    resolvedBy: text("resolved_by"),
    resolution: text("resolution", { enum: ["dataset_version", "no_change_needed"] }),
    datasetVersionId: text("dataset_version_id"),
    note: text("note"),
  },
  (t) => [
    uniqueIndex("source_reviews_one_open_idx").on(t.sourceId).where(sql`status = 'open'`),
    index("source_reviews_status_idx").on(t.status, t.id),
  ],
);

// ---- Partners (issue 21, docs/partners.md, ADR 0023) ----

/**
 * A kitchen marketplace (or any platform) that works with Prep on its food businesses'
 * behalf. Platform data: created by an operator (`prep partner create`), read by the token
 * endpoint as prep_platform; tenants' owners read the name (to see who holds a grant).
 */
export const partners = pgTable("partners", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: createdAt(),
  /** Set: every client of the partner is refused at the token endpoint and the API. */
  disabledAt: timestamptz("disabled_at"),
});

/**
 * A partner's OAuth client (RFC 6749 §2). `id` is the `client_id`; the secret is shown once
 * and stored as SHA-256. Rotation keeps the previous hash valid until
 * `previous_secret_expires_at`, so the partner can roll its deployment without downtime.
 * `scopes`: what its tokens may carry; `redirect_uris`: where the consent flow may return.
 */
export const partnerClients = pgTable(
  "partner_clients",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull(),
    previousSecretHash: text("previous_secret_hash"),
    previousSecretExpiresAt: timestamptz("previous_secret_expires_at"),
    scopes: text("scopes").array().notNull(),
    redirectUris: text("redirect_uris").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    rotatedAt: timestamptz("rotated_at"),
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [index("partner_clients_partner_idx").on(t.partnerId)],
);

/**
 * What a partner may do for one tenant: `invited` (the partner onboarded the business and its
 * owner has not consented yet: the partner sees only that), `active` (consented, `scopes`
 * apply) or `revoked` (by the owner; kept for the record). At most one live grant per partner
 * and tenant. The tenant's owners read and revoke theirs (prep_app, row-level security); the
 * partner API reads them as prep_platform, before it knows the tenant.
 */
export const partnerGrants = pgTable(
  "partner_grants",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id, { onDelete: "cascade" }),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    scopes: text("scopes").array().notNull(),
    status: text("status", { enum: ["invited", "active", "revoked"] }).notNull(),
    /** How the link began: the partner onboarded the tenant, or the owner consented to a request. */
    origin: text("origin", { enum: ["onboarded", "consent"] }).notNull(),
    createdAt: createdAt(),
    consentedAt: timestamptz("consented_at"),
    consentedBy: text("consented_by"),
    revokedAt: timestamptz("revoked_at"),
    revokedBy: text("revoked_by"),
  },
  (t) => [
    uniqueIndex("partner_grants_live_idx").on(t.partnerId, t.tenantId).where(sql`status <> 'revoked'`),
    index("partner_grants_tenant_idx").on(t.tenantId),
    tenantIsolation,
    pgPolicy("platform_partner_api", { as: "permissive", for: "all", to: platformRole, using: sql`true` }),
  ],
);

/**
 * An authorization code (RFC 6749 §4.1, PKCE RFC 7636): written when an owner approves a
 * partner's request (as the owner's tenant), redeemed once within 5 minutes by the partner's
 * client at the token endpoint (as prep_platform), which turns it into a grant. Only the
 * code's SHA-256 is stored.
 */
export const partnerAuthorizationCodes = pgTable(
  "partner_authorization_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    clientId: text("client_id").notNull(),
    partnerId: text("partner_id").notNull(),
    userId: text("user_id").notNull(),
    scopes: text("scopes").array().notNull(),
    redirectUri: text("redirect_uri").notNull(),
    /** BASE64URL(SHA-256(code_verifier)); only S256 is accepted. */
    codeChallenge: text("code_challenge").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
  },
  () => [
    tenantIsolation,
    pgPolicy("platform_partner_api", { as: "permissive", for: "all", to: platformRole, using: sql`true` }),
  ],
);

/**
 * A partner's webhook endpoint (issue 21 item 4): its linked businesses' status changes,
 * signed per Standard Webhooks. Delivery is the tenant objects' own pipeline: the endpoint is
 * mirrored into each business whose active grant holds `tenants:read`
 * (`partner_webhook_mirrors`), with the same secret, so retries, the SSRF guard and the
 * delivery log are the tenant webhooks'. The secret is kept (the objects sign with it, and
 * grants made later get mirrors); platform-only.
 */
export const partnerWebhooks = pgTable(
  "partner_webhooks",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    events: text("events").array().notNull(),
    secret: text("secret").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("partner_webhooks_partner_idx").on(t.partnerId)],
);

/** Which tenant-object endpoint stands for a partner endpoint in one business, through which grant. */
export const partnerWebhookMirrors = pgTable(
  "partner_webhook_mirrors",
  {
    partnerWebhookId: text("partner_webhook_id").notNull(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    grantId: text("grant_id").notNull(),
    /** The endpoint's id in the tenant object (`whk_…`). */
    endpointId: text("endpoint_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnerWebhookId, t.tenantId] }),
    index("partner_webhook_mirrors_grant_idx").on(t.grantId),
    tenantIsolation,
    pgPolicy("platform_partner_api", { as: "permissive", for: "all", to: platformRole, using: sql`true` }),
  ],
);
