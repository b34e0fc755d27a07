/**
 * Incident events in the PagerDuty Events API v2 format
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/): `trigger` with a
 * payload, `resolve` with the same dedup key. Any receiver speaking that format works.
 */
export interface IncidentEvent {
  routing_key: string;
  event_action: "trigger" | "resolve";
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: "critical" | "error" | "warning" | "info";
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
}): IncidentEvent {
  const base = { routing_key: input.routingKey, event_action: input.action, dedup_key: input.dedupKey };
  if (input.action === "resolve") return base;
  return {
    ...base,
    payload: {
      summary: input.summary.slice(0, 1024),
      source: input.source,
      severity: "error",
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
