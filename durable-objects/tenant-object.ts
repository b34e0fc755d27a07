/**
 * TenantObject: one Durable Object per tenant (SQLite storage, native RPC), the tenant's
 * source of truth for usage and for what changed. This file wires the modules together:
 *
 * - ledger.ts          every billable check exactly once, idempotency, hourly meters per state,
 *                      retention by age and bytes
 * - record-store.ts    how a record's JSON is kept compactly (deflate, dictionaries, parts)
 * - outbox.ts          the ledger's delivery to Postgres `checks`, at least once, idempotent;
 *                      a record Postgres refuses is isolated as a dead letter, never blocks the rest
 * - facility-store.ts  each facility's latest input and verdict, and when it may next change
 * - drift.ts           what changed between two verdicts → alert-store.ts (stored) and
 *                      live-alerts.ts (pushed to connected WebSockets)
 * - rule-changes.ts    rules to come: impact previews (nothing stored) and advance notices
 * - usage-reports.ts   closed hours of usage to Stripe's Meter, exactly once (with Stripe keys)
 * - jobs.ts            the single alarm, multiplexing outbox flushes, deadline re-evaluation,
 *                      usage reports and the live stream's sweep (expired sessions, re-checked principals)
 * - notifications.ts   events (from drift, or emitted by other parts of Prep) fanned out to webhook
 *                      endpoints and users' channels in a durable delivery queue with its log;
 *                      notification-delivery.ts sends what is due (ADR 0015)
 * - evidence-export.ts evidence exports, a location at a time, streamed into R2 and signed
 *
 * A tenant's checks may also land on meter shards — a hot tenant's, and regional ones near
 * the caller (workers/services/tenant-meters.ts decides, ADR 0025): objects of this class that
 * only ever see `recordCheck`, `getCheck`, `getUsage` and their own alarm (outbox, Stripe).
 */
import { DurableObject } from "cloudflare:workers";
import type { Verdict } from "../compliance";
import { type DatabaseHandle, openDatabase, withTenant } from "../db/client";
import { newId } from "../db/ids";
import { listUsers, loadUserAccess } from "../db/users";
import type {
  Delivery,
  DeliveryPage,
  EmitInput,
  EmitOutcome,
  NotificationPreferences,
  PhoneNumberState,
  RenewalReminder,
  WebhookEndpoint,
} from "../notifications/contract";
import {
  type EventType,
  eventsFromDrift,
  exportReadyEvent,
  type NotificationEvent,
  ruleChangeEvent,
  TEST_EVENT_TYPE,
} from "../notifications/events";
import { reminderData, reminderSummary } from "../notifications/reminders";
import { zoneOfState } from "../notifications/sms";
import { twilioConfig } from "../notifications/twilio";
import { databaseConfig } from "../runtime/database";
import { datasetRegistry, type LoadedDataset } from "../runtime/dataset-registry";
import type { RuntimeEnv } from "../runtime/env";
import { asOfDate, evaluateFacility } from "../runtime/evaluation";
import { metricsFor, writeMetricSafely } from "../runtime/metrics";
import { AlertStore } from "./alert-store";
import {
  type Alert,
  type AlertPage,
  type AlertQuery,
  type AnnouncementResult,
  type CheckRecord,
  DEAD_LETTER_REGISTRY,
  type DeadLetterPage,
  type DeadLetterSummary,
  type DriftEvent,
  type FacilityReconciliation,
  type FacilitySnapshot,
  type FacilityVerdict,
  type RecordCheckInput,
  type RecordCheckOutcome,
  type RuleChangeAnnouncement,
  type RuleChangeNotice,
  type RuleComparison,
  type RuleComparisonResult,
  type UsageQuery,
  type UsageRow,
  type WatchedFacility,
} from "./contract";
import { changedFindings } from "./drift";
import { EvidenceExports, type ExportRequest } from "./evidence-export";
import { FacilityStore, type StoredFacility } from "./facility-store";
import { Jobs } from "./jobs";
import { Ledger } from "./ledger";
import {
  acceptAlertStream,
  answerClientMessage,
  broadcastAlert,
  closeAlertStream,
  endSessionStreamsOf,
  endStreamsOf,
  expireStreams,
  nextSweepDue,
  recheckStreams,
  STREAM_CLOSE,
  setStreamFilter,
} from "./live-alerts";
import {
  deliverDue,
  emailSender,
  type NotificationSenders,
  smsSender,
  webhookSender,
} from "./notification-delivery";
import { NotificationStore } from "./notifications";
import { type CheckDelivery, deliverToPostgres, Outbox } from "./outbox";
import { RecordStore } from "./record-store";
import { RenewalReminderStore } from "./renewal-reminders";
import { buildNotices, compareFacilities, NoticeStore } from "./rule-changes";
import { SmsPhones, type StartVerification, type VerifyOutcome } from "./sms-phones";
import { migrate } from "./storage-schema";
import { reportDueAfter, stripeSender, UsageReports, type UsageSender } from "./usage-reports";

/** Checks wait this long in the outbox so one flush carries many of them. */
export const FLUSH_DELAY_MS = 1_000;

type Datasets = ReadonlyMap<string, LoadedDataset>;

const iso = (ms: number) => new Date(ms).toISOString();

function log(level: "info" | "error", message: string, detail: Record<string, unknown>): void {
  console[level](JSON.stringify({ level, message, ...detail }));
}

/** The object's bindings: the shared ones, and its own namespace (to reach the dead-letter registry). */
export interface TenantObjectEnv extends RuntimeEnv {
  TENANT: DurableObjectNamespace<TenantObject>;
  /** With it, closed hours of usage are reported to Stripe's Meter; without it (local mode), never. */
  STRIPE_SECRET_KEY?: string;
  STRIPE_API_BASE?: string;
  // Notifications (ADR 0015): email through runtime/mail/, links into the app, unsubscribe tokens.
  MAIL_URL?: string;
  MAIL_FROM?: string;
  APP_ORIGIN?: string;
  SESSION_SECRET?: string;
  /** Evidence exports: where the files go, the keys that sign their manifests, the public origin. */
  EVIDENCE_BUCKET: R2Bucket;
  SIGNING_KEYS?: string;
}

export class TenantObject extends DurableObject<TenantObjectEnv> {
  /** Protected for bench/http-worker.ts, which times the ledger's steps one by one. */
  protected readonly ledger: Ledger;
  private readonly outbox: Outbox;
  private readonly jobs: Jobs;
  private readonly facilities: FacilityStore;
  private readonly alerts: AlertStore;
  private readonly notices: NoticeStore;
  /** Where flushed checks go. Tests wrap it to fail a flush at a chosen point. */
  deliverChecks: CheckDelivery = deliverToPostgres;
  private readonly usageReports: UsageReports;
  /** Where closed hours of usage go (Stripe's Meter). Tests wrap it to crash mid-report. */
  sendUsage: UsageSender;
  private readonly notifications: NotificationStore;
  /** Wraps the production notification senders; tests set it to fail a send on purpose. */
  wrapNotificationSenders: (senders: NotificationSenders) => NotificationSenders = (senders) => senders;
  private readonly evidence: EvidenceExports;
  private readonly reminders: RenewalReminderStore;
  private readonly phones: SmsPhones;
  /** Regional meter shard: the home object has this shard's region (meter_regions), so reads merge it. */
  private homeKnowsRegion = false;

  constructor(ctx: DurableObjectState, env: TenantObjectEnv) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    ctx.storage.transactionSync(() => migrate(sql));
    const records = new RecordStore(sql);
    this.ledger = new Ledger(sql, records);
    this.outbox = new Outbox(sql, this.ledger, records);
    this.jobs = new Jobs(sql, ctx.storage);
    this.facilities = new FacilityStore(sql);
    this.alerts = new AlertStore(sql);
    this.notices = new NoticeStore(sql);
    this.usageReports = new UsageReports(sql);
    this.notifications = new NotificationStore(sql, (facilityId) =>
      zoneOfState(this.facilities.get(facilityId)?.facility.address?.state),
    );
    this.reminders = new RenewalReminderStore(sql, (prefix) =>
      this.notifications.cancelPendingEvents("renewal.reminder", prefix),
    );
    this.phones = new SmsPhones(sql, () => env.SESSION_SECRET ?? "");
    this.sendUsage = stripeSender({ secretKey: env.STRIPE_SECRET_KEY ?? "", apiBase: env.STRIPE_API_BASE });
    this.evidence = new EvidenceExports(sql, env, this.jobs, this.facilities, this.alerts, (ready) =>
      this.raiseNotification(exportReadyEvent(ready, iso(Date.now())), `export:${ready.id}`),
    );
  }

  // ---- Evidence exports ----

  /** Queues an export whose row the Worker has stored; the alarm runs it (evidence-export.ts). */
  async startExport(request: ExportRequest): Promise<void> {
    const moved = this.ctx.storage.transactionSync(() => this.evidence.enqueue(request, Date.now()));
    if (moved) await this.jobs.arm();
  }

  // ---- Metering ----

  /** Durable before it returns (the output gate holds the reply until SQLite has it). */
  async recordCheck(input: RecordCheckInput): Promise<RecordCheckOutcome> {
    if (input.meterRegion !== undefined) await this.registerWithHome(input.check.tenantId, input.meterRegion);
    const now = Date.now();
    let alarmMoved = false;
    // Compressed before the transaction: packing may store a new dictionary (record-store.ts).
    const packed = this.ledger.pack(input.check.utf8);
    const outcome = this.ctx.storage.transactionSync(() => {
      const result = this.ledger.record(input, now, packed);
      if (result.kind === "recorded") {
        alarmMoved = this.jobs.ensure("flush_outbox", now + FLUSH_DELAY_MS);
        if (this.env.STRIPE_SECRET_KEY && this.jobs.ensure("report_usage", reportDueAfter(now)))
          alarmMoved = true;
      }
      return result;
    });
    // Only once committed: a rolled-back recording must leave nothing for the flush to send.
    if (outcome.kind === "recorded") this.ledger.rememberRecorded(input.check.id, input.check.utf8);
    if (alarmMoved) await this.jobs.arm();
    if (outcome.kind === "recorded") {
      // Per state and tenant: what the dashboards' metering panels count.
      writeMetricSafely(metricsFor(this.env), {
        kind: "metered_check",
        route: "TenantObject.recordCheck",
        method: "RPC",
        status: 200,
        latencyMs: Date.now() - now,
        tenant: input.check.tenantId,
        state: input.check.state,
        plan: "",
        region: "",
      });
    }
    return outcome;
  }

  async getCheck(id: string): Promise<CheckRecord | null> {
    return this.ledger.get(id);
  }

  /** Home object: a regional meter shard of this tenant holds checks from now on (ADR 0025). */
  async registerMeterRegion(region: string): Promise<void> {
    this.markRegion(region);
  }

  /** Home object: the regions whose meter shards reads merge. */
  async meterRegions(): Promise<string[]> {
    return this.ctx.storage.sql
      .exec<{ region: string }>("SELECT region FROM meter_regions ORDER BY region")
      .toArray()
      .map((row) => row.region);
  }

  /**
   * Regional shard: makes sure the home object knows this region before a check here is
   * answered — otherwise a read could miss an answered check. Only the first check pays the
   * trip (concurrent first checks may each make it; registering is idempotent).
   */
  private async registerWithHome(tenantId: string, region: string): Promise<void> {
    if (this.homeKnowsRegion) return; // no statement per check once known
    const known = this.ctx.storage.sql.exec("SELECT 1 FROM meter_regions WHERE region = ?", region).toArray();
    if (known.length === 0) {
      await this.env.TENANT.get(this.env.TENANT.idFromName(tenantId)).registerMeterRegion(region);
      this.markRegion(region);
    }
    this.homeKnowsRegion = true;
  }

  private markRegion(region: string): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO meter_regions (region, registered_ms) VALUES (?, ?) ON CONFLICT (region) DO NOTHING",
      region,
      Date.now(),
    );
  }

  async getUsage(query: UsageQuery): Promise<UsageRow[]> {
    return this.ledger.usage(query);
  }

  // ---- Dead letters (checks Postgres refused; RUNBOOK.md "Dead letters") ----

  async listDeadLetters(query: { limit: number; cursor?: string | undefined }): Promise<DeadLetterPage> {
    return this.outbox.deadLetters(query.limit, query.cursor);
  }

  /** Sends a dead letter again on the next flush (once its cause is fixed). False: no such dead letter. */
  async requeueDeadLetter(checkId: string): Promise<boolean> {
    const now = Date.now();
    const requeued = this.ctx.storage.transactionSync(() => {
      if (!this.outbox.requeue(checkId, now)) return false;
      this.jobs.ensure("flush_outbox", now);
      return true;
    });
    if (requeued) {
      await this.jobs.arm();
      await this.reportDeadLetters();
    }
    return requeued;
  }

  /** Forgets a dead letter for good. False: no such dead letter. */
  async discardDeadLetter(checkId: string): Promise<boolean> {
    const discarded = this.outbox.discard(checkId);
    if (discarded) await this.reportDeadLetters();
    return discarded;
  }

  /** Registry only: an object's current dead-letter count (0 forgets it). */
  async noteDeadLetters(objectId: string, tenantId: string, count: number): Promise<void> {
    if (count === 0)
      this.ctx.storage.sql.exec("DELETE FROM dead_letter_objects WHERE object_id = ?", objectId);
    else
      this.ctx.storage.sql.exec(
        `INSERT INTO dead_letter_objects (object_id, tenant_id, count, reported_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (object_id) DO UPDATE SET count = excluded.count, reported_ms = excluded.reported_ms`,
        objectId,
        tenantId,
        count,
        Date.now(),
      );
  }

  /** Registry only: dead letters across the platform, per tenant (at most `limit` tenants listed). */
  async deadLetterSummary(limit = 100): Promise<DeadLetterSummary> {
    const sql = this.ctx.storage.sql;
    const total =
      sql.exec<{ n: number | null }>("SELECT sum(count) AS n FROM dead_letter_objects").one().n ?? 0;
    const tenants = sql
      .exec<{ tenant_id: string; count: number }>(
        `SELECT tenant_id, sum(count) AS count FROM dead_letter_objects GROUP BY tenant_id
         ORDER BY count DESC, tenant_id LIMIT ?`,
        limit,
      )
      .toArray()
      .map((row) => ({ tenantId: row.tenant_id, count: row.count }));
    const tenantCount = sql
      .exec<{ n: number }>("SELECT count(DISTINCT tenant_id) AS n FROM dead_letter_objects")
      .one().n;
    return { total, tenantCount, tenants };
  }

  /** Tells the registry how many dead letters this object holds; a failure is only logged (the next change reports again). */
  private async reportDeadLetters(): Promise<void> {
    try {
      const tenantId = this.ctx.storage.sql
        .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'tenant_id'")
        .toArray()[0]?.value;
      const namespace = this.env.TENANT;
      if (!tenantId) return;
      const registry = namespace.get(namespace.idFromName(DEAD_LETTER_REGISTRY));
      await registry.noteDeadLetters(this.ctx.id.toString(), tenantId, this.outbox.deadLetterCount());
    } catch (error) {
      log("error", "dead letters: report to the registry failed", { error: String(error) });
    }
  }

  // ---- Facilities and drift ----

  /** Stores the facility's latest verdict; returns the drift event when it differs from the last. */
  async upsertFacility(snapshot: FacilitySnapshot): Promise<DriftEvent | null> {
    const alert = this.applyVerdict(snapshot, null);
    await this.rescheduleReevaluation();
    return alert;
  }

  /** The facility's latest verdict, or null when this object has not heard of the facility. */
  async getFacilityVerdict(facilityId: string): Promise<FacilityVerdict | null> {
    const stored = this.facilities.get(facilityId);
    return stored
      ? { verdict: stored.verdict, cause: stored.cause, evaluatedAt: iso(stored.updatedMs) }
      : null;
  }

  /** Every facility this object watches, with its verdict's status and time (reconciliation). */
  async watchedFacilities(): Promise<WatchedFacility[]> {
    return this.facilities
      .summaries()
      .map(({ facilityId, status, updatedMs }) => ({ facilityId, status, evaluatedAt: iso(updatedMs) }));
  }

  /**
   * Brings this object in line with Postgres (the hourly reconciliation): evaluates today the
   * facilities it missed or holds stale — raising drift alerts for what it had missed — and
   * forgets deleted ones.
   */
  async reconcileFacilities(
    changes: FacilityReconciliation,
  ): Promise<{ evaluated: number; removed: number }> {
    let evaluated = 0;
    if (changes.upsert.length > 0) {
      const asOf = asOfDate(undefined, new Date());
      await this.withDatasets((datasets) => {
        for (const { facilityId, facility } of changes.upsert) {
          const evaluation = evaluateFacility(facility, asOf, datasets);
          if (!evaluation.covered) continue;
          this.applyVerdict({ facilityId, facility, verdict: evaluation.verdict, cause: "reconciled" }, null);
          evaluated++;
        }
      });
    }
    const removed = changes.remove.filter((facilityId) =>
      this.ctx.storage.transactionSync(() => {
        this.reminders.remove(facilityId);
        return this.facilities.remove(facilityId);
      }),
    ).length;
    await this.rescheduleReevaluation();
    return { evaluated, removed };
  }

  async removeFacility(facilityId: string): Promise<boolean> {
    const removed = this.ctx.storage.transactionSync(() => {
      this.reminders.remove(facilityId);
      return this.facilities.remove(facilityId);
    });
    await this.rescheduleReevaluation();
    return removed;
  }

  /** Re-evaluates every facility against freshly loaded datasets (after a rule change). */
  async reevaluateAll(reason: string): Promise<{ evaluated: number; drifted: number }> {
    datasetRegistry.invalidate();
    const asOf = asOfDate(undefined, new Date());
    const counts = await this.withDatasets((datasets) => {
      let evaluated = 0;
      let drifted = 0;
      for (const stored of this.facilities.all()) {
        const verdict = this.evaluate(stored, asOf, datasets);
        if (!verdict) continue;
        evaluated++;
        if (
          this.applyVerdict(
            { facilityId: stored.facilityId, facility: stored.facility, verdict, cause: "rules" },
            reason,
          )
        )
          drifted++;
      }
      return { evaluated, drifted };
    });
    await this.rescheduleReevaluation();
    return counts;
  }

  // ---- Rule changes ahead (rule-changes.ts) ----

  /** The impact preview's part for this tenant: its facilities under both rule sets; stores nothing. */
  async compareRules(input: RuleComparison): Promise<RuleComparisonResult> {
    return this.withDatasets((datasets) => compareFacilities(this.facilities.all(), datasets, input));
  }

  /**
   * A version whose rules change on a later date became active: stores a notice per coming
   * change that breaks at least one location (replacing the jurisdiction's earlier upcoming
   * notices) and answers which are new, so the caller tells people once.
   */
  async announceRuleChanges(input: RuleChangeAnnouncement): Promise<AnnouncementResult> {
    const now = Date.now();
    const notices = await this.withDatasets((datasets) =>
      buildNotices(this.facilities.all(), datasets, input),
    );
    // Each new notice is raised as `rule_change.ahead` in the write that stores it.
    const result = this.ctx.storage.transactionSync(() => {
      const stored = this.notices.replaceUpcoming(
        input.jurisdiction,
        { changed: input.changes.map((c) => `${c.ruleId}@${c.effectiveFrom}`), upcoming: input.upcoming },
        notices,
        asOfDate(undefined, new Date(now)),
        now,
      );
      for (const notice of stored.created)
        this.raiseNotification(ruleChangeEvent(notice, iso(now)), notice.id);
      return stored;
    });
    await this.jobs.arm();
    return result;
  }

  /** Notices taking effect today or later; `facilityIds` limits them to a manager's locations. */
  async listRuleChanges(query: { facilityIds?: string[] | undefined }): Promise<RuleChangeNotice[]> {
    return this.notices.upcoming(asOfDate(undefined, new Date()), query.facilityIds);
  }

  // ---- Alerts ----

  async listAlerts(query: AlertQuery): Promise<AlertPage> {
    return this.alerts.list(query);
  }

  /** `facilityIds` limits it to those facilities' alerts (a location-limited principal). */
  async acknowledgeAlert(id: string, actor: string, facilityIds?: readonly string[]): Promise<Alert | null> {
    return this.alerts.acknowledge(id, actor, iso(Date.now()), facilityIds);
  }

  /** The alert stream's WebSocket upgrade, forwarded by the Worker after authentication. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    const response = acceptAlertStream(this.ctx, request);
    if (response.status === 101) await this.scheduleStreamSweep(Date.now());
    return response;
  }

  /**
   * The Worker, after a credential's change committed in Postgres: closes the sockets
   * `actorId` (an API key or user id) opened. `why`: "revoked" (key revoked, user removed,
   * 4401) or "access_changed" (role changed, 4403). Returns how many closed.
   */
  async endStreams(input: { actorId: string; why: "revoked" | "access_changed" }): Promise<number> {
    return endStreamsOf(
      this.ctx,
      input.actorId,
      input.why === "revoked" ? STREAM_CLOSE.revoked : STREAM_CLOSE.accessChanged,
    );
  }

  /** The Worker, after sessions were revoked (sign-out, password change, an owner): closes their sockets (4401). */
  async endSessionStreams(input: { sessionIds: string[] }): Promise<number> {
    return endSessionStreamsOf(this.ctx, input.sessionIds);
  }

  /** The Worker, after a user's location assignments changed: their sockets' new filter (null = all). */
  async updateStreamFilter(input: { userId: string; facilityIds: string[] | null }): Promise<number> {
    return setStreamFilter(this.ctx, input.userId, input.facilityIds);
  }

  /**
   * Re-reads every open socket's principal from Postgres (the Worker calls it after a change
   * that may touch many users, e.g. a group's locations; the sweep calls it every minute).
   */
  async recheckStreams(): Promise<number> {
    const handle = openDatabase(databaseConfig(this.env));
    try {
      return await recheckStreams(this.ctx, handle.db);
    } finally {
      await handle.close();
    }
  }

  override async webSocketMessage(socket: WebSocket): Promise<void> {
    answerClientMessage(socket);
  }

  override async webSocketClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    closeAlertStream(socket, code, reason);
  }

  // ---- The alarm ----

  /**
   * Runs every job due by the alarm's scheduled time. That time, not the wall clock, is
   * "now" for deciding what is due and at which date to re-evaluate: the same in
   * production (alarms never fire early) and it lets a test fire the alarm ahead of time.
   */
  override async alarm(): Promise<void> {
    const scheduledAt = Math.max(Date.now(), this.jobs.earliest() ?? 0);
    if (this.jobs.isDue("flush_outbox", scheduledAt)) await this.flushOutbox();
    if (this.jobs.isDue("reevaluate", scheduledAt)) await this.reevaluateDue(scheduledAt);
    if (this.jobs.isDue("sweep_streams", scheduledAt)) await this.sweepStreams(scheduledAt);
    if (this.jobs.isDue("report_usage", scheduledAt)) await this.reportUsage(scheduledAt);
    if (this.jobs.isDue("renewal_reminders", scheduledAt)) await this.sendRenewalReminders(scheduledAt);
    if (this.jobs.isDue("deliver_notifications", scheduledAt)) await this.deliverNotifications(scheduledAt);
    if (this.jobs.isDue("run_export", scheduledAt)) await this.evidence.run();
    await this.jobs.arm();
  }

  /**
   * Sends closed hours to Stripe and marks them only after Stripe accepted them: a crash in
   * between sends the same identifiers again, which Stripe counts once.
   */
  private async reportUsage(at: number): Promise<void> {
    const tenantId = this.ctx.storage.sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'tenant_id'")
      .toArray()[0]?.value;
    const hours = this.usageReports.pending(at);
    if (!tenantId || hours.length === 0) {
      this.jobs.complete("report_usage");
      return;
    }
    const handle = openDatabase(databaseConfig(this.env));
    try {
      const outcome = await this.sendUsage(handle.db, tenantId, this.ctx.id.toString(), hours);
      this.ctx.storage.transactionSync(() => {
        this.usageReports.settle(hours, outcome, Date.now());
        if (this.usageReports.pending(at, 1).length > 0) this.jobs.set("report_usage", Date.now());
        else this.jobs.complete("report_usage");
      });
    } catch (error) {
      const retryInMs = this.jobs.retryLater("report_usage", Date.now());
      log("error", "usage report to Stripe failed", { error: String(error), retryInMs });
    } finally {
      await handle.close();
    }
  }

  /** Metered and reported checks in [fromMs, toMs) (reconciliation). */
  async usageReported(query: {
    fromMs: number;
    toMs: number;
  }): Promise<{ reported: number; unbilled: number }> {
    return this.usageReports.totals(query.fromMs, query.toMs);
  }

  private async flushOutbox(): Promise<void> {
    // One connection for the whole run (the pool connects on its first query); batches are
    // megabytes, so the driver sends each protocol write as it comes (db/client.ts).
    const handle = openDatabase(databaseConfig(this.env), { bulkWrites: true });
    let deadLettered = 0;
    try {
      const outcome = await this.outbox.flush((tenantId, batch) =>
        this.deliverChecks(handle.db, tenantId, batch),
      );
      deadLettered = outcome.deadLettered;
      if (outcome.drained) {
        this.jobs.complete("flush_outbox");
        this.ledger.prune(Date.now());
        this.alerts.prune(Date.now());
      } else {
        this.jobs.set("flush_outbox", Date.now());
      }
    } catch (error) {
      const retryInMs = this.jobs.retryLater("flush_outbox", Date.now());
      log("error", "outbox flush failed", { error: String(error), retryInMs });
    } finally {
      await handle.close();
    }
    if (deadLettered > 0) await this.reportDeadLetters();
  }

  private async reevaluateDue(at: number): Promise<void> {
    const asOf = asOfDate(undefined, new Date(at));
    try {
      await this.withDatasets((datasets) => {
        for (const stored of this.facilities.dueBy(at)) {
          const verdict = this.evaluate(stored, asOf, datasets);
          if (verdict)
            this.applyVerdict(
              { facilityId: stored.facilityId, facility: stored.facility, verdict, cause: "deadline" },
              null,
            );
        }
      });
      this.jobs.set("reevaluate", this.facilities.earliestDue());
    } catch (error) {
      const retryInMs = this.jobs.retryLater("reevaluate", Date.now());
      log("error", "deadline re-evaluation failed", { error: String(error), retryInMs });
    }
  }

  /**
   * Closes the sockets whose session expired by `at`, re-checks the rest against Postgres
   * (a failure is only logged: expiry still applies, and the next sweep tries again), and
   * schedules the next sweep while any socket is open.
   */
  private async sweepStreams(at: number): Promise<void> {
    expireStreams(this.ctx, at);
    if (nextSweepDue(this.ctx, at) !== null) {
      try {
        await this.recheckStreams();
      } catch (error) {
        log("error", "alert stream re-check failed", { error: String(error) });
      }
    }
    this.jobs.set("sweep_streams", nextSweepDue(this.ctx, at));
  }

  /** Brings the sweep forward to what the open sockets need (a new socket may expire sooner). */
  private async scheduleStreamSweep(now: number): Promise<void> {
    const due = nextSweepDue(this.ctx, now);
    if (due !== null && this.jobs.ensure("sweep_streams", due)) await this.jobs.arm();
  }

  // ---- Notifications (ADR 0015, docs/notifications.md) ----

  /** Raises a drift's notification events and queues their deliveries (inside the drift's transaction). */
  private raiseDriftNotifications(alert: Alert, snapshot: FacilitySnapshot, now: number): void {
    const details = new Map(
      snapshot.verdict.findings.map((f) => [
        `${f.ruleId}|${f.subject ? `${f.subject.kind}:${f.subject.id}` : ""}`,
        { title: f.title, dueBy: f.dueBy },
      ]),
    );
    let queued = 0;
    for (const event of eventsFromDrift(
      alert,
      (ruleId, subject) => details.get(`${ruleId}|${subject ? `${subject.kind}:${subject.id}` : ""}`) ?? null,
    ))
      queued += this.notifications.raise(event, event.id, now).deliveries;
    // The last write of the transaction (Jobs.ensure's rule); the callers arm the alarm.
    if (queued > 0) this.jobs.ensure("deliver_notifications", now);
  }

  /** Any part of Prep raising an event (notifications/emit.ts); once per (type, key). */
  async emitNotification(input: EmitInput): Promise<EmitOutcome> {
    const now = Date.now();
    const outcome = this.ctx.storage.transactionSync(() =>
      this.raiseNotification(
        {
          type: input.type,
          timestamp: input.timestamp ?? iso(now),
          facilityId: input.facilityId ?? null,
          facilityName: input.facilityName ?? null,
          summary: input.summary,
          data: input.data,
        },
        input.key,
      ),
    );
    if (outcome.deliveries > 0) await this.jobs.arm();
    return outcome;
  }

  /**
   * Stores an event of the object's own (once per type and key) and queues its deliveries.
   * Synchronous, inside the caller's write; the caller arms the alarm (the alarm handler does).
   */
  private raiseNotification(event: Omit<NotificationEvent, "id">, key: string): EmitOutcome {
    const now = Date.now();
    const result = this.notifications.raise({ id: newId("evt", now), ...event }, key, now);
    if (result.deliveries > 0) this.jobs.ensure("deliver_notifications", now);
    return result;
  }

  async createWebhook(
    input: { url: string; events: EventType[]; description: string | null },
    appOrigin?: string,
    /** Partner endpoints (ADR 0023) bring their own secret. */
    secret?: string,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    if (appOrigin) this.notifications.rememberAppOrigin(appOrigin);
    const created = this.ctx.storage.transactionSync(() => {
      const result = this.notifications.createEndpoint(input, Date.now(), secret);
      this.scheduleRenewalReminders();
      return result;
    });
    await this.jobs.arm();
    return created;
  }

  async listWebhooks(): Promise<WebhookEndpoint[]> {
    return this.notifications.endpoints(Date.now());
  }

  async getWebhook(id: string): Promise<WebhookEndpoint | null> {
    return this.notifications.endpoint(id, Date.now());
  }

  async updateWebhook(
    id: string,
    patch: { url?: string; events?: EventType[]; description?: string | null; enabled?: boolean },
  ): Promise<WebhookEndpoint | null> {
    const updated = this.ctx.storage.transactionSync(() => {
      const result = this.notifications.updateEndpoint(id, patch, Date.now());
      this.scheduleRenewalReminders();
      return result;
    });
    await this.jobs.arm();
    return updated;
  }

  async deleteWebhook(id: string): Promise<boolean> {
    return this.ctx.storage.transactionSync(() => this.notifications.deleteEndpoint(id));
  }

  async rotateWebhookSecret(
    id: string,
    overlapMs: number,
  ): Promise<{ secret: string; previousSecretExpiresAt: string } | null> {
    return this.notifications.rotateSecret(id, overlapMs, Date.now());
  }

  async webhookDeliveries(
    id: string,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<DeliveryPage> {
    return this.notifications.deliveries("webhook", id, page.limit, page.cursor);
  }

  async webhookDelivery(id: string, deliveryId: string): Promise<Delivery | null> {
    return this.notifications.delivery("webhook", id, deliveryId);
  }

  /** Queues a `webhook.test` event to this endpoint alone; null when there is no such endpoint. */
  async testWebhook(id: string): Promise<Delivery | null> {
    const now = Date.now();
    const endpoint = this.notifications.endpoint(id, now);
    if (!endpoint) return null;
    const event: NotificationEvent = {
      id: newId("evt", now),
      type: TEST_EVENT_TYPE,
      timestamp: iso(now),
      facilityId: null,
      facilityName: null,
      summary: "A test delivery from Prep",
      data: { endpointId: id, message: "This is a test event sent from Prep." },
    };
    this.ctx.storage.transactionSync(() => {
      this.notifications.raise(event, event.id, now, { onlyEndpoint: id });
      this.jobs.ensure("deliver_notifications", now);
    });
    await this.jobs.arm();
    return this.notifications.deliveries("webhook", id, 1).data[0] ?? null;
  }

  /** Sends a logged delivery again; null when this endpoint has no such delivery. */
  async replayWebhookDelivery(id: string, deliveryId: string): Promise<Delivery | null> {
    const now = Date.now();
    const replayed = this.ctx.storage.transactionSync(() => {
      const delivery = this.notifications.replay("webhook", id, deliveryId, now);
      if (delivery) this.jobs.ensure("deliver_notifications", now);
      return delivery;
    });
    if (replayed) await this.jobs.arm();
    return replayed;
  }

  async getNotificationPreferences(userId: string): Promise<NotificationPreferences | null> {
    return this.notifications.preferences(userId);
  }

  /** `appOrigin`: the web app's origin the Worker saw, for links in email (see NotificationStore). */
  async setNotificationPreferences(
    userId: string,
    prefs: NotificationPreferences,
    appOrigin?: string,
  ): Promise<void> {
    if (appOrigin) this.notifications.rememberAppOrigin(appOrigin);
    this.ctx.storage.transactionSync(() => {
      this.notifications.setPreferences(userId, prefs, Date.now());
      if (!prefs.channels.includes("sms")) this.notifications.cancelSms(userId);
      this.scheduleRenewalReminders();
    });
    await this.jobs.arm();
  }

  /** One-click unsubscribe (RFC 8058): no more email for the user. */
  async unsubscribeEmail(userId: string): Promise<void> {
    this.ctx.storage.transactionSync(() => this.notifications.unsubscribeEmail(userId, Date.now()));
  }

  // ---- SMS phone numbers (ADR 0021) ----

  async getPhone(userId: string): Promise<PhoneNumberState> {
    return this.phones.state(userId, Date.now());
  }

  /** A new verification code for `phone` (the Worker texts it), or how long to wait. */
  async startPhoneVerification(
    userId: string,
    phone: string,
    appOrigin?: string,
  ): Promise<StartVerification> {
    if (appOrigin) this.notifications.rememberAppOrigin(appOrigin);
    return this.phones.start(userId, phone, Date.now());
  }

  async verifyPhone(userId: string, code: string): Promise<VerifyOutcome> {
    return this.phones.verify(userId, code, Date.now());
  }

  /** Forgets the user's number; SMS queued for them is canceled. */
  async removePhone(userId: string): Promise<boolean> {
    return this.ctx.storage.transactionSync(() => {
      this.notifications.cancelSms(userId);
      return this.phones.remove(userId);
    });
  }

  /** The user's SMS deliveries, newest first (their delivery log). */
  async smsDeliveries(userId: string, limit: number): Promise<DeliveryPage> {
    return this.notifications.deliveries("sms", userId, limit);
  }

  /** Twilio's status callback for one delivery (verified by the Worker). */
  async recordSmsStatus(
    deliveryId: string,
    messageSid: string,
    status: string,
    errorCode: string | null,
  ): Promise<boolean> {
    return this.notifications.recordSmsStatus(deliveryId, messageSid, status, errorCode);
  }

  /**
   * Sends the deliveries due by `at`; the job then follows the next due one. One run at a
   * time: a send awaits its provider with the input gate open, and a second run meanwhile
   * (an alarm fired early by a test, an RPC) would pick the same pending delivery. The
   * second returns at once (never awaiting the first's promise: no promise crosses requests);
   * the run in progress schedules what remains.
   */
  private async deliverNotifications(at: number): Promise<void> {
    if (this.deliveringNotifications) return;
    this.deliveringNotifications = true;
    try {
      await this.runNotificationDeliveries(at);
    } finally {
      this.deliveringNotifications = false;
    }
  }

  private deliveringNotifications = false;

  private async runNotificationDeliveries(at: number): Promise<void> {
    let handle: DatabaseHandle | undefined;
    const db = () => {
      handle ??= openDatabase(databaseConfig(this.env));
      return handle.db;
    };
    try {
      const senders = this.wrapNotificationSenders({
        webhook: webhookSender(this.env.PREP_ENV),
        email: emailSender({
          MAIL_URL: this.env.MAIL_URL,
          MAIL_FROM: this.env.MAIL_FROM,
          tenantId: this.tenantName(),
          appOrigin: this.env.APP_ORIGIN || this.notifications.appOrigin() || "http://localhost:8787",
          unsubscribeSecret: this.env.SESSION_SECRET ?? "",
          db,
          hasPreferences: (userId) => this.notifications.hasPreferences(userId),
        }),
        sms: smsSender({
          twilio: twilioConfig(this.env),
          tenantId: this.tenantName(),
          appOrigin: this.env.APP_ORIGIN || this.notifications.appOrigin() || "http://localhost:8787",
          db,
        }),
      });
      await deliverDue(this.notifications, senders, at, (work) => this.ctx.storage.transactionSync(work), {
        phoneOf: (userId) => this.phones.verified(userId),
        holdUntil: (delivery, atMs) => this.notifications.smsHoldUntil(delivery, atMs),
      });
      this.notifications.prune(at);
      this.jobs.set("deliver_notifications", this.notifications.nextDue());
    } catch (error) {
      const retryInMs = this.jobs.retryLater("deliver_notifications", Date.now());
      log("error", "notification delivery failed", { error: String(error), retryInMs });
    } finally {
      await handle?.close();
    }
  }

  // ---- Renewal reminders (renewal-reminders.ts, notifications/reminders.ts) ----

  /** Tracked renewals, soonest start-by first; `facilityIds` limits them to a manager's locations. */
  async listRenewalReminders(query: { facilityIds?: string[] | undefined }): Promise<RenewalReminder[]> {
    return this.reminders.list(query.facilityIds);
  }

  /**
   * Sets the reminder job to the earliest due step while anyone (a user's preferences, an
   * endpoint) takes `renewal.reminder`; otherwise no job (nothing would reach anyone) — the
   * reminders stay listed, and the first subscription brings what is due. Call in a transaction.
   */
  private scheduleRenewalReminders(): void {
    this.jobs.set(
      "renewal_reminders",
      this.notifications.subscribed("renewal.reminder") ? this.reminders.nextDue() : null,
    );
  }

  /**
   * Raises each due reminder step as a `renewal.reminder` event to its audience (the person,
   * the location's managers, the owners: read from Postgres now), once per step: the event's key
   * names the cycle and step, and the row advances in the same transaction.
   */
  private async sendRenewalReminders(at: number): Promise<void> {
    const due = this.reminders.due(at);
    if (due.length === 0) {
      this.scheduleRenewalReminders();
      return;
    }
    const handle = openDatabase(databaseConfig(this.env));
    try {
      const people = await withTenant(handle.db, this.tenantName(), async (tx) => {
        const users = await listUsers(tx);
        const managers = await Promise.all(
          users.filter((u) => u.role === "manager").map((u) => loadUserAccess(tx, u.id)),
        );
        return {
          users: new Set(users.map((u) => u.id)),
          owners: users.filter((u) => u.role === "owner").map((u) => u.id),
          managers: managers.flatMap((m) => (m ? [{ id: m.id, facilityIds: m.facilityIds ?? [] }] : [])),
        };
      });
      this.ctx.storage.transactionSync(() => {
        let queued = 0;
        for (const reminder of due) {
          const { facts } = reminder;
          const managers = people.managers
            .filter((m) => m.facilityIds.includes(facts.facilityId))
            .map((m) => m.id);
          const person = facts.holder && people.users.has(facts.holder) ? [facts.holder] : [];
          // Each level falls through to the next one up when nobody holds it.
          const audience =
            reminder.step === "person" && person.length > 0
              ? person
              : reminder.step !== "owner" && managers.length > 0
                ? managers
                : people.owners;
          queued += this.notifications.raise(
            {
              id: newId("evt", at),
              type: "renewal.reminder",
              timestamp: iso(at),
              facilityId: facts.facilityId,
              facilityName: facts.facilityName,
              summary: reminderSummary(facts, reminder.step),
              data: { ...reminderData(facts, reminder.step), audience },
            },
            reminder.key,
            at,
            { users: audience },
          ).deliveries;
          this.reminders.advance(reminder, at);
        }
        this.scheduleRenewalReminders();
        if (queued > 0) this.jobs.ensure("deliver_notifications", at);
      });
    } catch (error) {
      const retryInMs = this.jobs.retryLater("renewal_reminders", Date.now());
      log("error", "renewal reminders failed", { error: String(error), retryInMs });
    } finally {
      await handle.close();
    }
  }

  /** The tenant id: objects are named by it (idFromName). */
  private tenantName(): string {
    return (
      this.ctx.id.name ??
      this.ctx.storage.sql
        .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'tenant_id'")
        .toArray()[0]?.value ??
      ""
    );
  }

  // ---- Shared steps ----

  /** Stores the verdict and, when it differs from the stored one, records and pushes an alert. */
  private applyVerdict(snapshot: FacilitySnapshot, reason: string | null): Alert | null {
    const now = Date.now();
    const alert = this.ctx.storage.transactionSync(() => {
      const previous = this.facilities.get(snapshot.facilityId);
      this.facilities.put(snapshot, now);
      // A renewal changes no status (pass → pass) but ends its reminders: before any early return.
      this.reminders.sync(snapshot.facilityId, snapshot.facility, snapshot.verdict);
      this.scheduleRenewalReminders();
      if (!previous) return null;
      const changes = changedFindings(previous.verdict, snapshot.verdict);
      if (changes.length === 0 && previous.verdict.status === snapshot.verdict.status) return null;
      const added = this.alerts.add({
        id: newId("alr", now),
        facilityId: snapshot.facilityId,
        facilityName: snapshot.facility.name,
        cause: snapshot.cause,
        reason,
        detectedAt: iso(now),
        previousVerdictAt: iso(previous.updatedMs),
        previousStatus: previous.verdict.status,
        status: snapshot.verdict.status,
        changes,
      });
      this.raiseDriftNotifications(added, snapshot, now);
      return added;
    });
    if (alert) {
      broadcastAlert(this.ctx, alert);
      writeMetricSafely(metricsFor(this.env), {
        kind: "drift_alert",
        route: "TenantObject.applyVerdict",
        method: "RPC",
        status: 200,
        latencyMs: 0,
        // Objects are named by tenant id (idFromName), so the id carries it.
        tenant: this.ctx.id.name ?? "",
        state: snapshot.facility.address?.state ?? "",
        plan: "",
        region: "",
      });
    }
    return alert;
  }

  /** The verdict at `asOf`, or null (and no more deadlines) when no dataset covers the facility any more. */
  private evaluate(stored: StoredFacility, asOf: string, datasets: Datasets): Verdict | null {
    const evaluation = evaluateFacility(stored.facility, asOf, datasets);
    if (evaluation.covered) return evaluation.verdict;
    this.facilities.clearDue(stored.facilityId);
    log("error", "facility can no longer be evaluated", {
      facilityId: stored.facilityId,
      detail: evaluation.why,
    });
    return null;
  }

  /** Runs `work` with the active datasets, loaded (or refreshed) through a database opened for it. */
  private async withDatasets<T>(work: (datasets: Datasets) => T): Promise<T> {
    const handle = openDatabase(databaseConfig(this.env));
    const background: Promise<unknown>[] = [];
    try {
      const datasets = await datasetRegistry.current(
        () => handle.db,
        (refresh) => background.push(refresh),
      );
      return work(datasets);
    } finally {
      // A background refresh still needs the database: close only after it settles.
      await Promise.allSettled(background);
      await handle.close();
    }
  }

  private async rescheduleReevaluation(): Promise<void> {
    this.jobs.set("reevaluate", this.facilities.earliestDue());
    await this.jobs.arm();
  }
}
