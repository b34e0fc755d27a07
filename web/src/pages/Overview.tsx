/**
 * Overview: locations by status, upcoming deadlines (permits and credentials expiring in
 * the next 60 days, or already expired), renewals to start (start by D to be covered before
 * E: the datasets' lead times), upcoming rule changes that will affect locations, and the
 * latest drift alerts.
 */
import type { Alert, Facility, Page, RenewalReminder, RuleChange, Status } from "../api/types";
import { Expiry } from "../components/location/Expiry";
import { Empty, ErrorNotice, Loading, StatusBadge } from "../components/ui";
import { daysUntil, formatDate, formatDateTime, STATUS_LABEL, STATUSES, today } from "../format";
import { useFacilities } from "../hooks/useFacilities";
import { useResource } from "../hooks/useResource";
import { Link } from "../router";
import { useCan } from "../session";
import { CREDENTIAL_LABEL, PERMIT_LABEL } from "../vocabulary";
import { whenText } from "./RuleChanges";

interface Deadline {
  date: string;
  /** What expires: "Health permit", "Maria's food handler card". */
  what: string;
  facility: Facility;
}

const HORIZON_DAYS = 60;
/** Renewals whose start-by date is this close (or past) are listed. */
const RENEWAL_HORIZON_DAYS = 60;

const STEP_LABEL: Record<NonNullable<RenewalReminder["lastStep"]>, string> = {
  person: "holder reminded",
  manager: "escalated to the manager",
  owner: "escalated to the owner",
};

/** "Start by Jan 5, 2027 for Feb 19, 2027: Food handler card (s-1) — Mission St · holder reminded" */
function RenewalItem({ reminder, now }: { reminder: RenewalReminder; now: string }) {
  const late = daysUntil(reminder.startBy, now) < 0;
  const who = reminder.subject && reminder.subject.kind !== "facility" ? ` (${reminder.subject.id})` : "";
  return (
    <li class={late ? "renewal-late" : undefined}>
      Start by <time dateTime={reminder.startBy}>{formatDate(reminder.startBy)}</time> for{" "}
      <time dateTime={reminder.validThrough}>{formatDate(reminder.validThrough)}</time>: {reminder.title}
      {who} — <Link href={`/locations/${reminder.facilityId}`}>{reminder.facilityName}</Link>
      {reminder.lastStep && <span class="muted"> · {STEP_LABEL[reminder.lastStep]}</span>}
    </li>
  );
}

/**
 * Everything that expired, or expires within the horizon: overdue first (most overdue
 * first), then upcoming (soonest first) — that is, by date.
 */
function deadlines(facilities: Facility[], now: string): Deadline[] {
  const out: Deadline[] = [];
  for (const facility of facilities) {
    for (const permit of facility.permits ?? []) {
      if (permit.expiresAt) out.push({ date: permit.expiresAt, what: PERMIT_LABEL[permit.type], facility });
    }
    for (const person of facility.staff ?? []) {
      for (const credential of person.credentials ?? []) {
        if (credential.expiresAt) {
          out.push({
            date: credential.expiresAt,
            what: `${person.name ?? person.id}'s ${CREDENTIAL_LABEL[credential.type].toLowerCase()}`,
            facility,
          });
        }
      }
    }
  }
  return out
    .filter((d) => daysUntil(d.date, now) <= HORIZON_DAYS)
    .sort((a, b) => a.date.localeCompare(b.date));
}

export function Overview() {
  const facilities = useFacilities();
  const canReadAlerts = useCan("alerts:read");
  const alerts = useResource<Page<Alert>>(canReadAlerts ? "/v1/alerts?limit=5" : null);
  const ruleChanges = useResource<Page<RuleChange>>("/v1/rule-changes");
  const renewals = useResource<Page<RenewalReminder>>("/v1/renewal-reminders");
  if (facilities.loading) return <Loading what="your locations" />;
  if (facilities.error || !facilities.data)
    return facilities.error ? <ErrorNotice error={facilities.error} retry={facilities.reload} /> : null;
  const list = facilities.data;
  const count = (status: Status) => list.filter((f) => f.status === status).length;
  const now = today();
  const upcoming = deadlines(list, now).slice(0, 8);
  const toRenew = (renewals.data?.data ?? [])
    .filter((r) => daysUntil(r.startBy, now) <= RENEWAL_HORIZON_DAYS)
    .slice(0, 8);
  return (
    <>
      <h1>Overview</h1>
      {list.length === 0 ? (
        <Empty title="No locations yet.">
          <p>Add your first kitchen to see whether it complies with the rules where it stands.</p>
          <Link class="button primary" href="/locations/new">
            Add a location
          </Link>
        </Empty>
      ) : (
        <section aria-labelledby="by-status">
          <h2 id="by-status">Locations by status</h2>
          <ul class="tiles">
            {STATUSES.map((status) => (
              <li key={status} class={`tile tile-${status}`}>
                <Link href={`/locations?status=${status}`}>
                  <span class="tile-count">{count(status)}</span>
                  <span>{STATUS_LABEL[status]}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div class="columns">
        <section aria-labelledby="deadlines">
          <h2 id="deadlines">Upcoming deadlines</h2>
          {upcoming.length === 0 ? (
            <p class="muted">Nothing expires in the next {HORIZON_DAYS} days.</p>
          ) : (
            <ul class="list">
              {upcoming.map((d) => (
                <li key={`${d.facility.id}-${d.what}-${d.date}`}>
                  {d.what} <Expiry date={d.date} now={now} /> —{" "}
                  <Link href={`/locations/${d.facility.id}`}>{d.facility.name}</Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="renewals">
          <h2 id="renewals">Renewals to start</h2>
          {renewals.error && <ErrorNotice error={renewals.error} retry={renewals.reload} />}
          {renewals.data && toRenew.length === 0 && (
            <p class="muted">No renewal needs starting in the next {RENEWAL_HORIZON_DAYS} days.</p>
          )}
          {toRenew.length > 0 && (
            <ul class="list">
              {toRenew.map((r) => (
                <RenewalItem
                  key={`${r.facilityId}-${r.ruleId}-${r.subject?.id ?? ""}`}
                  reminder={r}
                  now={now}
                />
              ))}
            </ul>
          )}
          <p class="hint">
            Start dates allow for exam scheduling, course length and the agency's processing time.
          </p>
        </section>
        <section aria-labelledby="rule-changes">
          <h2 id="rule-changes">Upcoming rule changes</h2>
          {ruleChanges.error && <ErrorNotice error={ruleChanges.error} retry={ruleChanges.reload} />}
          {ruleChanges.data && ruleChanges.data.data.length === 0 && (
            <p class="muted">No coming rule change affects your locations.</p>
          )}
          {ruleChanges.data && ruleChanges.data.data.length > 0 && (
            <ul class="list">
              {ruleChanges.data.data.slice(0, 5).map((change) => (
                <li key={change.id}>
                  {change.title} {whenText(change.effectiveFrom, now)} ({change.effectiveFrom}):{" "}
                  {change.affected.length} location{change.affected.length === 1 ? "" : "s"} affected
                </li>
              ))}
            </ul>
          )}
          <Link href="/rule-changes">All rule changes</Link>
        </section>
        {canReadAlerts && (
          <section aria-labelledby="drift">
            <h2 id="drift">Recent drift</h2>
            {alerts.loading && <Loading what="alerts" />}
            {alerts.error && <ErrorNotice error={alerts.error} retry={alerts.reload} />}
            {alerts.data && alerts.data.data.length === 0 && (
              <p class="muted">No status changes yet. They appear here and on the Alerts page.</p>
            )}
            {alerts.data && alerts.data.data.length > 0 && (
              <ul class="list">
                {alerts.data.data.map((a) => (
                  <li key={a.id}>
                    <Link href={`/locations/${a.facilityId}`}>{a.facilityName}</Link>:{" "}
                    <StatusBadge status={a.previousStatus} /> → <StatusBadge status={a.status} />{" "}
                    <span class="muted">{formatDateTime(a.detectedAt)}</span>
                  </li>
                ))}
              </ul>
            )}
            <Link href="/alerts">All alerts</Link>
          </section>
        )}
      </div>
    </>
  );
}
