/**
 * What Prep notifies about: the event types (the list webhooks subscribe to and users choose
 * from), their payloads, and how a drift event of the tenant object becomes notification
 * events. Pure: no I/O.
 */

/** Every event type, in the order the app lists them. */
export const EVENT_TYPES = [
  /** A facility's overall status changed (compliant ↔ at_risk ↔ non_compliant). */
  "facility.status_changed",
  /** A finding started failing (a check, an edit, a rule change). */
  "finding.failing",
  /** A deadline came within its warning window (the finding turned `warn` at its date). */
  "deadline.approaching",
  /** A deadline passed (the finding turned `fail` at its date). */
  "deadline.passed",
  /** A credential or permit must be renewed soon enough to be covered in time. */
  "renewal.reminder",
  /** A regulation changes ahead of its effective date (regulatory change monitoring). */
  "rule_change.ahead",
  /** An evidence export is ready to download. */
  "export.ready",
  /** The tenant's subscription changed state (trialing, active, past_due, canceled). */
  "billing.state_changed",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Sent only by the test-send button of one endpoint; never subscribed to. */
export const TEST_EVENT_TYPE = "webhook.test";
/** Sent to the tenant's owners (email) when an endpoint was disabled after persistent failure. */
export const ENDPOINT_DISABLED_EVENT_TYPE = "webhook.disabled";
export type InternalEventType = typeof TEST_EVENT_TYPE | typeof ENDPOINT_DISABLED_EVENT_TYPE;

export const isEventType = (value: string): value is EventType =>
  (EVENT_TYPES as readonly string[]).includes(value);

/**
 * Tenant-wide announcements (nothing fails because of them, but someone must act): besides
 * everyone whose preferences take them, they reach by email the tenant's owners and admins who
 * have not chosen their own notification settings — so an export or a rule change ahead is
 * never announced to nobody while preferences default to no channel.
 */
export const ANNOUNCEMENT_EVENT_TYPES: readonly EventType[] = [
  "rule_change.ahead",
  "export.ready",
  "billing.state_changed",
];

/** Events that may break quiet hours and digests when the user allows it: something failing now. */
export const URGENT_EVENT_TYPES: readonly EventType[] = ["finding.failing", "deadline.passed"];

/** A finding as a notification carries it: enough to act without opening the app. */
export interface NotifiedFinding {
  ruleId: string;
  citation: string;
  title: string;
  subject: { kind: string; id: string } | null;
  previousStatus: string | null;
  status: string | null;
  dueBy: string | null;
}

/** One event, as stored by the tenant object and delivered on every channel. */
export interface NotificationEvent {
  /** `evt_…`; the Standard Webhooks `webhook-id` prefix of each delivery. */
  id: string;
  type: EventType | InternalEventType;
  /** ISO 8601: when it happened (the drift's detection time, the export's completion…). */
  timestamp: string;
  /** The location it concerns, if any: filters users' location preferences. */
  facilityId: string | null;
  facilityName: string | null;
  /** A one-line summary for SMS and email subjects. */
  summary: string;
  /** The type's payload (the webhook body's `data`). */
  data: Record<string, unknown>;
}

/** What the tenant object's drift detection knows (a subset of durable-objects' DriftEvent). */
export interface DriftFacts {
  id: string;
  facilityId: string;
  facilityName: string;
  cause: string;
  detectedAt: string;
  previousStatus: string;
  status: string;
  changes: {
    ruleId: string;
    citation: string;
    subject: { kind: string; id: string } | null;
    from: string | null;
    to: string | null;
  }[];
}

/** Finding details of the new verdict (title, due date), keyed as drift keys findings. */
export type FindingDetails = (
  ruleId: string,
  subject: { kind: string; id: string } | null,
) => {
  title: string;
  dueBy: string | null;
} | null;

const STATUS_WORDS: Record<string, string> = {
  compliant: "compliant",
  at_risk: "at risk",
  non_compliant: "non-compliant",
};

/**
 * The notification events one drift event raises: `facility.status_changed` when the overall
 * status moved, and per changed finding `deadline.approaching` / `deadline.passed` (a deadline
 * re-evaluation) or `finding.failing` (anything else that made a finding fail). Ids derive
 * from the drift's id, so raising them twice for one drift stores them once.
 */
export function eventsFromDrift(drift: DriftFacts, details: FindingDetails): NotificationEvent[] {
  const findings: NotifiedFinding[] = drift.changes.map((change) => {
    const detail = details(change.ruleId, change.subject);
    return {
      ruleId: change.ruleId,
      citation: change.citation,
      title: detail?.title ?? change.ruleId,
      subject: change.subject,
      previousStatus: change.from,
      status: change.to,
      dueBy: detail?.dueBy ?? null,
    };
  });
  const base = {
    timestamp: drift.detectedAt,
    facilityId: drift.facilityId,
    facilityName: drift.facilityName,
  };
  const suffix = drift.id.replace(/^alr_/, "");
  const events: NotificationEvent[] = [];
  if (drift.previousStatus !== drift.status) {
    events.push({
      ...base,
      id: `evt_${suffix}_status`,
      type: "facility.status_changed",
      summary: `${drift.facilityName} is now ${STATUS_WORDS[drift.status] ?? drift.status} (was ${STATUS_WORDS[drift.previousStatus] ?? drift.previousStatus})`,
      data: {
        facilityId: drift.facilityId,
        previousStatus: drift.previousStatus,
        status: drift.status,
        cause: drift.cause,
        alertId: drift.id,
        findings,
      },
    });
  }
  const byType = new Map<EventType, NotifiedFinding[]>();
  for (const finding of findings) {
    const type: EventType | null =
      drift.cause === "deadline" && finding.status === "warn"
        ? "deadline.approaching"
        : drift.cause === "deadline" && finding.status === "fail"
          ? "deadline.passed"
          : finding.status === "fail" && finding.previousStatus !== "fail"
            ? "finding.failing"
            : null;
    if (type) byType.set(type, [...(byType.get(type) ?? []), finding]);
  }
  for (const [type, list] of byType) {
    const first = list[0] as NotifiedFinding;
    const more = list.length > 1 ? ` and ${list.length - 1} more` : "";
    const what =
      type === "deadline.approaching"
        ? `deadline approaching${first.dueBy ? ` (${first.dueBy})` : ""}`
        : type === "deadline.passed"
          ? "deadline passed"
          : "now failing";
    events.push({
      ...base,
      id: `evt_${suffix}_${type.replace(".", "_")}`,
      type,
      summary: `${drift.facilityName}: ${first.title}${more} — ${what}`,
      data: { facilityId: drift.facilityId, status: drift.status, alertId: drift.id, findings: list },
    });
  }
  return events;
}

/** What an evidence export that became ready says (the tenant object raises it as it finishes). */
export interface ReadyExport {
  id: string;
  trigger: string;
  from: string;
  to: string;
  locations: number;
}

/** `export.ready`: one per export; the email links to the Evidence page, never to the files. */
export function exportReadyEvent(ready: ReadyExport, timestamp: string): Omit<NotificationEvent, "id"> {
  const places = `${ready.locations} location${ready.locations === 1 ? "" : "s"}`;
  return {
    type: "export.ready",
    timestamp,
    facilityId: null,
    facilityName: null,
    summary: `Your evidence export for ${ready.from} – ${ready.to} (${places}) is ready`,
    data: {
      exportId: ready.id,
      trigger: ready.trigger,
      from: ready.from,
      to: ready.to,
      locations: ready.locations,
      path: "/evidence",
    },
  };
}

/** A rule change ahead as `rule_change.ahead` carries it (compliance's RuleChangeNotice, structurally). */
export interface RuleChangeFacts {
  id: string;
  jurisdiction: string;
  ruleId: string;
  title: string;
  citation: string;
  effectiveFrom: string;
  summary: string;
  affected: readonly {
    facilityId: string;
    facilityName: string;
    from: string;
    to: string;
    actions: string[];
  }[];
}

/**
 * `rule_change.ahead`: one per notice, listing the locations it will break; each affected
 * location is a finding line in the email (its status from the date, the rule's citation).
 */
export function ruleChangeEvent(notice: RuleChangeFacts, timestamp: string): Omit<NotificationEvent, "id"> {
  const count = notice.affected.length;
  const findings: NotifiedFinding[] = notice.affected.map((location) => ({
    ruleId: notice.ruleId,
    citation: notice.citation,
    title:
      location.actions.length > 0
        ? `${location.facilityName}: ${location.actions.join(" ")}`
        : location.facilityName,
    subject: null,
    previousStatus: location.from,
    status: location.to,
    dueBy: notice.effectiveFrom,
  }));
  return {
    type: "rule_change.ahead",
    timestamp,
    facilityId: null,
    facilityName: null,
    summary: `A rule change on ${notice.effectiveFrom} affects ${count} of your location${count === 1 ? "" : "s"}: ${notice.title}`,
    data: {
      noticeId: notice.id,
      jurisdiction: notice.jurisdiction,
      ruleId: notice.ruleId,
      citation: notice.citation,
      effectiveFrom: notice.effectiveFrom,
      summary: notice.summary,
      affected: notice.affected.map(({ facilityId, facilityName, from, to }) => ({
        facilityId,
        facilityName,
        from,
        to,
      })),
      findings,
      path: "/rule-changes",
    },
  };
}

const SUBSCRIPTION_WORDS: Record<string, string> = {
  trialing: "in its trial",
  active: "active",
  past_due: "past due",
  canceled: "canceled",
};

/**
 * `billing.state_changed` when a subscription's status or plan changed (null when neither did:
 * a renewal or a redelivered webhook says nothing new). The email links to the Billing page.
 */
export function billingStateEvent(
  before: { plan: string; status: string },
  after: { plan: string; status: string },
): { type: "billing.state_changed"; summary: string; data: Record<string, unknown> } | null {
  if (before.plan === after.plan && before.status === after.status) return null;
  const status = SUBSCRIPTION_WORDS[after.status] ?? after.status;
  return {
    type: "billing.state_changed",
    summary:
      before.status === after.status
        ? `Your Prep plan is now ${after.plan} (was ${before.plan})`
        : `Your Prep subscription is now ${status} (was ${SUBSCRIPTION_WORDS[before.status] ?? before.status})`,
    data: {
      previousStatus: before.status,
      status: after.status,
      previousPlan: before.plan,
      plan: after.plan,
      path: "/billing",
    },
  };
}
