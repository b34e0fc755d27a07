/**
 * Upcoming rule changes: each coming change of a rule that applies to the tenant's locations
 * (a new dataset version whose rule takes effect on a later date), the locations it will
 * break, and what each must do by the date (GET /v1/rule-changes). On the date, drift alerts
 * take over.
 */
import type { Page, RuleChange } from "../api/types";
import { Empty, ErrorNotice, Loading, StatusBadge } from "../components/ui";
import { daysUntil, today } from "../format";
import { useResource } from "../hooks/useResource";
import { Link } from "../router";

/** "in 12 days", "tomorrow", "today". */
export function whenText(date: string, now: string): string {
  const days = daysUntil(date, now);
  if (days <= 0) return "today";
  if (days === 1) return "tomorrow";
  return `in ${days} days`;
}

export function RuleChanges() {
  const changes = useResource<Page<RuleChange>>("/v1/rule-changes");
  const now = today();
  return (
    <>
      <h1>Upcoming rule changes</h1>
      <p class="muted">
        Rules that change on a later date, and which of your locations the new rule will put out of
        compliance. Until the date your locations are judged by today's rule.
      </p>
      {changes.loading && <Loading what="rule changes" />}
      {changes.error && <ErrorNotice error={changes.error} retry={changes.reload} />}
      {changes.data && changes.data.data.length === 0 && (
        <Empty title="No rule changes ahead for your locations.">
          <p>When a coming rule would affect one of them, it appears here before it takes effect.</p>
        </Empty>
      )}
      {changes.data?.data.map((change) => (
        <section key={change.id} class="card" aria-labelledby={`rc-${change.id}`}>
          <h2 id={`rc-${change.id}`}>
            {change.title} — from {change.effectiveFrom} ({whenText(change.effectiveFrom, now)})
          </h2>
          <p>
            {change.summary} <span class="muted">{change.citation}</span>
          </p>
          <ul class="list">
            {change.affected.map((location) => (
              <li key={location.facilityId}>
                <Link href={`/locations/${location.facilityId}`}>{location.facilityName}</Link>:{" "}
                <StatusBadge status={location.from} /> → <StatusBadge status={location.to} />
                {location.actions.length > 0 && (
                  <ul>
                    {location.actions.map((action) => (
                      <li key={action}>{action}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
