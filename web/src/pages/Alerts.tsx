/**
 * Alerts: every status change of a location (drift), newest first, arriving live over the
 * WebSocket without a reload; acknowledge with one button.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import type { Alert, Page } from "../api/types";
import { Empty, ErrorNotice, Loading, StatusBadge } from "../components/ui";
import { formatDateTime } from "../format";
import { useAlertStream } from "../hooks/useAlertStream";
import { useResource } from "../hooks/useResource";
import { useSubmit } from "../hooks/useSubmit";
import { Link } from "../router";
import { useCan } from "../session";

const STREAM_LABEL = { connecting: "Connecting…", live: "Live", offline: "Offline — reconnecting" } as const;

function describe(alert: Alert): string {
  const failing = alert.changes.filter((c) => c.to === "fail").length;
  const fixed = alert.changes.filter((c) => c.from === "fail" && c.to !== "fail").length;
  const parts = [
    failing && `${failing} rule${failing === 1 ? "" : "s"} now failing`,
    fixed && `${fixed} fixed`,
  ].filter(Boolean);
  return (
    parts.join(", ") || `${alert.changes.length} finding${alert.changes.length === 1 ? "" : "s"} changed`
  );
}

export function Alerts() {
  const page = useResource<Page<Alert>>("/v1/alerts?limit=50");
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [announcement, setAnnouncement] = useState("");
  const canAck = useCan("alerts:write");
  useEffect(() => page.data && setAlerts(page.data.data), [page.data]);
  const stream = useAlertStream((alert) => {
    setAlerts((current) => [alert, ...current.filter((a) => a.id !== alert.id)]);
    setAnnouncement(`New alert: ${alert.facilityName} is now ${alert.status.replace("_", " ")}.`);
  });
  const ack = useSubmit(async (id: string) => {
    const updated = await api<Alert>(`/v1/alerts/${id}/ack`, { method: "POST" });
    setAlerts((current) => current.map((a) => (a.id === id ? updated : a)));
  });

  return (
    <>
      <div class="page-head">
        <h1>Alerts</h1>
        <span class={`stream stream-${stream}`}>{STREAM_LABEL[stream]}</span>
      </div>
      <p class="sr-only" aria-live="polite">
        {announcement}
      </p>
      {ack.error && <ErrorNotice error={ack.error} />}
      {page.loading && alerts.length === 0 && <Loading what="alerts" />}
      {page.error && <ErrorNotice error={page.error} retry={page.reload} />}
      {!page.loading && !page.error && alerts.length === 0 && (
        <Empty title="No alerts yet.">
          <p>
            When a location's status changes — a credential expires, a rule changes — it appears here at once.
          </p>
        </Empty>
      )}
      <ul class="list alerts">
        {alerts.map((alert) => (
          <li key={alert.id} class={alert.acknowledgedAt ? "acknowledged" : "open"}>
            <p>
              <Link href={`/locations/${alert.facilityId}`}>{alert.facilityName}</Link>:{" "}
              <StatusBadge status={alert.previousStatus} /> → <StatusBadge status={alert.status} />
            </p>
            <p>
              {describe(alert)} · {formatDateTime(alert.detectedAt)} · cause: {alert.reason ?? alert.cause}
            </p>
            {alert.changes.length > 0 && (
              <ul class="muted">
                {alert.changes.map((c) => (
                  <li key={`${c.ruleId}-${c.subject?.id ?? ""}`}>
                    <cite>{c.citation}</cite>: {c.from ?? "new"} → {c.to ?? "gone"}
                  </li>
                ))}
              </ul>
            )}
            {alert.acknowledgedAt ? (
              <p class="muted">Acknowledged {formatDateTime(alert.acknowledgedAt)}</p>
            ) : (
              canAck && (
                <button type="button" disabled={ack.pending} onClick={() => void ack.run(alert.id)}>
                  Acknowledge
                </button>
              )
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
