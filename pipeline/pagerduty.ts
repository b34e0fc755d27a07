/**
 * Incident events in the PagerDuty Events API v2 format
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/): `trigger` with a
 * payload, `resolve` with the same dedup key. Any receiver speaking that format works.
 * `raiseOrResolve` is the one switch every alerting job uses (freshness, the SLO burn rates).
 */
import { openIncident, setIncident } from "../db/incidents";
import type { JobContext } from "./context";

export type Severity = "critical" | "error" | "warning" | "info";

export interface IncidentEvent {
  routing_key: string;
  event_action: "trigger" | "resolve";
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: Severity;
    timestamp: string;
    component: string;
    custom_details: Record<string, unknown>;
  };
}

export function incidentEvent(input: {
  action: "trigger" | "resolve";
  dedupKey: string;
  routingKey: string;
  summary: string;
  source: string;
  customDetails: Record<string, unknown>;
  /** What broke; the freshness SLO's by default. */
  component?: string;
  /** `error` by default (high urgency under PagerDuty's dynamic notifications); `warning`/`info` are low urgency. */
  severity?: Severity;
}): IncidentEvent {
  const base = { routing_key: input.routingKey, event_action: input.action, dedup_key: input.dedupKey };
  if (input.action === "resolve") return base;
  return {
    ...base,
    payload: {
      summary: input.summary.slice(0, 1024),
      source: input.source,
      severity: input.severity ?? "error",
      timestamp: new Date().toISOString(),
      component: input.component ?? "dataset-refresh",
      custom_details: input.customDetails,
    },
  };
}

export async function sendIncidentEvent(
  fetcher: typeof fetch,
  url: string,
  event: IncidentEvent,
): Promise<void> {
  const response = await fetcher(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(event),
    signal: AbortSignal.timeout(10_000),
  });
  await response.body?.cancel();
  // PagerDuty answers 202; a refusal must not pass silently (the incident state is not stored).
  if (!response.ok) throw new Error(`incident webhook answered HTTP ${response.status}`);
}

/**
 * Triggers an incident when `breach` and none is open for `dedupKey`, resolves it when healthy
 * and one is open, else does nothing — once each, thanks to the stored incident state. The
 * occurrence is recorded with its opened and resolved times (db/incidents.ts). Returns the
 * event sent, or null.
 */
export async function raiseOrResolve(
  ctx: JobContext,
  input: {
    dedupKey: string;
    breach: boolean;
    /** The trigger's and the resolve's summaries. */
    summary: { breach: string; healthy: string };
    component: string;
    customDetails: Record<string, unknown>;
    severity?: Severity;
  },
): Promise<IncidentEvent | null> {
  const open = await openIncident(ctx.db, input.dedupKey);
  if (input.breach === open) return null;
  const event = incidentEvent({
    action: input.breach ? "trigger" : "resolve",
    dedupKey: input.dedupKey,
    routingKey: ctx.incidentRoutingKey ?? "",
    summary: input.breach ? input.summary.breach : input.summary.healthy,
    source: `prep-${ctx.environment}`,
    component: input.component,
    customDetails: input.customDetails,
    ...(input.severity ? { severity: input.severity } : {}),
  });
  if (ctx.incidentWebhookUrl) {
    await sendIncidentEvent(ctx.fetch, ctx.incidentWebhookUrl, event);
  } else {
    ctx.log({ message: "incident (no INCIDENT_WEBHOOK_URL configured)", event });
  }
  await setIncident(
    ctx.db,
    input.dedupKey,
    input.breach ? "triggered" : "resolved",
    event.payload?.summary ?? "resolved",
    ctx.now(),
  );
  return event;
}
