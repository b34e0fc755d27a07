/**
 * What a job needs, passed in rather than reached for, so the same job runs from the cron
 * trigger, the admin endpoint (both inside the Worker) and the CLI (Node, no Durable Objects).
 */
import type { Stripe } from "../billing/stripe";
import type {
  AnnouncementResult,
  FacilityInput,
  RuleChangeAnnouncement,
  RuleComparison,
  RuleComparisonResult,
} from "../compliance";
import type { Database } from "../db/client";
import type { EvidenceExport } from "../db/evidence";
import type { AnalyticsSetup } from "../runtime/analytics-outbox";
import type { OperationalMetricsSource } from "./slo";
import type { PublishedBundles } from "./sources";
import type { WatchersConfig } from "./watchers";

export interface JobContext {
  db: Database;
  fetch: typeof fetch;
  now(): Date;
  log(event: Record<string, unknown>): void;
  /** How long a source may take to answer. */
  fetchTimeoutMs: number;
  /**
   * Asks a tenant's Durable Object to re-evaluate its facilities. Absent in the CLI: the
   * Worker's hourly drift sweep then tells the tenants (docs/data-pipeline.md).
   */
  notifyTenant?: ((tenantId: string, reason: string) => Promise<unknown>) | undefined;
  /**
   * Each tenant's Durable Object as reconciliation sees it. Absent in the CLI, which cannot
   * reach Durable Objects: the Worker's hourly run reconciles.
   */
  tenantObjects?: TenantObjects | undefined;
  /**
   * The published, signed dataset bundles (R2) and the pinned key that verifies them, for
   * `r2:` sources (pipeline/bundle.ts). Absent in the CLI: such sources then fail there.
   */
  publishedBundles?: PublishedBundles | undefined;
  /** Drops this isolate's compiled datasets after an activation. */
  invalidateDatasets(): void;
  /** Where incident events go (PagerDuty Events API v2); absent = log only. */
  incidentWebhookUrl?: string | undefined;
  incidentRoutingKey?: string | undefined;
  /** Names the deployment in incident payloads and dedup keys. */
  environment: string;
  /** Stripe and the tenants' meters, for billing reconciliation; absent in local mode and the CLI. */
  billing?: BillingReach | undefined;
  /**
   * Request and check totals for the SLO burn rates (pipeline/slo-source.ts). Absent in the
   * CLI: the Worker's hourly run records them.
   */
  operationalMetrics?: OperationalMetricsSource | undefined;
  /**
   * Product analytics' destinations and HMAC key (runtime/analytics-outbox.ts), or why they
   * are unusable. Absent in the CLI: the Worker's hourly run drains the outbox.
   */
  analytics?: AnalyticsSetup | { error: string } | undefined;
  /**
   * Where the source watchers fetch official texts (pipeline/watchers.ts: `SOURCE_WATCHERS`);
   * absent or off: they do nothing (development, the CLI).
   */
  watchers?: WatchersConfig | { mode: "off"; problem: string } | undefined;
  /** Scheduled evidence exports (evidence-schedule.ts); absent in the CLI, which cannot reach tenant objects. */
  evidence?: EvidenceReach | undefined;
}

/** What the export schedule reaches: the tenant object that builds an export (and announces it ready). */
export interface EvidenceReach {
  /** Hands a stored export to the tenant's object (TenantObject.startExport). */
  start(tenantId: string, row: EvidenceExport): Promise<void>;
}

/** What billing reconciliation reaches: Stripe, and each tenant's meters (every shard summed). */
export interface BillingReach {
  stripe: Stripe;
  /** Checks in closed hours sent to Stripe (`reported`) or not billable (`unbilled`), in [fromMs, toMs). */
  reported(tenantId: string, fromMs: number, toMs: number): Promise<{ reported: number; unbilled: number }>;
  /** Checks metered in [fromMs, toMs) (hour-aligned). */
  metered(tenantId: string, fromMs: number, toMs: number): Promise<number>;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;

export const logJson = (event: Record<string, unknown>) =>
  console.log(JSON.stringify({ level: "info", ...event }));

/** What reconciliation asks of a tenant's object (durable-objects/tenant-object.ts). */
export interface TenantObjects {
  watched(tenantId: string): Promise<{ facilityId: string; evaluatedAt: string; status: string }[]>;
  reconcile(
    tenantId: string,
    changes: { upsert: { facilityId: string; facility: FacilityInput }[]; remove: string[] },
  ): Promise<{ evaluated: number; removed: number }>;
  /** The impact preview's part for one tenant (pipeline/impact.ts); stores nothing. */
  compareRules(tenantId: string, input: RuleComparison): Promise<RuleComparisonResult>;
  /** Stores the tenant's notices of rules changing later (pipeline/rule-notices.ts). */
  announce(tenantId: string, announcement: RuleChangeAnnouncement): Promise<AnnouncementResult>;
}
