/**
 * A location: status, the findings behind that status (grouped by jurisdiction layer), run a
 * check, staff and credentials, permits, edit details, and its check history.
 *
 * The stored status comes from the facility's latest evaluation today: a check of it, or
 * adding or changing it. Only a check records findings, so when the status came from a save
 * (its `lastCheckedAt` is no recorded check's `evaluatedAt`) the page runs a check of the
 * stored facility, which evaluates it the same way and stores the status it finds, so the
 * badge and the findings are one evaluation. Who cannot run checks sees the last check's
 * findings, or none, with a word on where the status came from.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import type { CheckResult, CheckSummary, Facility, FacilityInput, Page } from "../api/types";
import { EditDetails } from "../components/location/EditDetails";
import { Findings } from "../components/location/Findings";
import { PermitsPanel } from "../components/location/PermitsPanel";
import { StaffPanel } from "../components/location/StaffPanel";
import { Empty, ErrorNotice, Loading, StatusBadge } from "../components/ui";
import { formatDate, formatDateTime } from "../format";
import { useResource } from "../hooks/useResource";
import { useSubmit } from "../hooks/useSubmit";
import { Link } from "../router";
import { useCan } from "../session";
import { FACILITY_TYPE_LABEL } from "../vocabulary";

/** Whether two RFC 3339 timestamps name the same instant. */
function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && Date.parse(a) === Date.parse(b);
}

export function LocationDetail({ id }: { id: string }) {
  const loaded = useResource<Facility>(`/v1/facilities/${id}`);
  const history = useResource<Page<CheckSummary>>(`/v1/facilities/${id}/checks?limit=10`);
  const [facility, setFacility] = useState<Facility>();
  const [result, setResult] = useState<CheckResult>();
  /** Why the findings shown may not be those behind the badge. */
  const [note, setNote] = useState<"changed" | "earlier">();
  /** Whether the findings behind the stored status have been looked for (once a page). */
  const [resolved, setResolved] = useState(false);
  const canEdit = useCan("facilities:write");
  const canCheck = useCan("checks:write");

  useEffect(() => setFacility(loaded.data), [loaded.data]);

  const runCheck = useSubmit(async () => {
    setResolved(true);
    setResult(await api<CheckResult>(`/v1/facilities/${id}/checks`, { method: "POST", body: {} }));
    setNote(undefined);
    setFacility(await api<Facility>(`/v1/facilities/${id}`));
    history.reload();
  });
  const showCheck = useSubmit(async (checkId: string, why?: "earlier") => {
    setResult(await api<CheckResult>(`/v1/checks/${checkId}`));
    setNote(why);
  });
  const onPatch = async (patch: Partial<FacilityInput>) => {
    setFacility(await api<Facility>(`/v1/facilities/${id}`, { method: "PATCH", body: patch }));
    setNote("changed");
  };

  // The findings behind the badge: the recorded check that set it, else a check run now.
  const checks = history.data?.data;
  useEffect(() => {
    if (resolved || !facility || !checks) return;
    setResolved(true);
    const latest = checks[0];
    if (latest && sameInstant(latest.evaluatedAt, facility.lastCheckedAt)) void showCheck.run(latest.id);
    else if (facility.status && canCheck) void runCheck.run();
    else if (latest) void showCheck.run(latest.id, "earlier");
  }, [resolved, facility, checks]);

  if (loaded.loading && !facility) return <Loading what="the location" />;
  if (loaded.error) {
    return loaded.error.problem.status === 404 ? (
      <Empty title="This location does not exist or is not yours to see.">
        <Link href="/locations">Back to locations</Link>
      </Empty>
    ) : (
      <ErrorNotice error={loaded.error} retry={loaded.reload} />
    );
  }
  if (!facility) return null;
  return (
    <>
      <p>
        <Link href="/locations">← Locations</Link>
      </p>
      <div class="page-head">
        <h1>{facility.name}</h1>
        <StatusBadge status={facility.status} />
      </div>
      <p class="muted">
        {FACILITY_TYPE_LABEL[facility.type]} ·{" "}
        {[facility.address.line1, facility.address.city, facility.address.state].filter(Boolean).join(", ")} ·
        last checked {formatDateTime(facility.lastCheckedAt)}
      </p>
      {canEdit && <EditDetails facility={facility} onPatch={onPatch} />}

      <section aria-labelledby="findings">
        <div class="page-head">
          <h2 id="findings">Findings</h2>
          {canCheck && (
            <button
              type="button"
              class="primary"
              disabled={runCheck.pending}
              onClick={() => void runCheck.run()}
            >
              {runCheck.pending ? "Checking…" : "Run a check"}
            </button>
          )}
        </div>
        {runCheck.error && <ErrorNotice error={runCheck.error} />}
        {showCheck.error && <ErrorNotice error={showCheck.error} />}
        {result ? (
          <Findings result={result} note={findingsNote(note, facility.lastCheckedAt)} />
        ) : runCheck.pending || showCheck.pending || (!resolved && !history.error) ? (
          <Loading what="the findings" />
        ) : (
          <p class="muted">{noFindings(facility, canCheck)}</p>
        )}
      </section>

      <div class="columns">
        <StaffPanel facility={facility} canEdit={canEdit} onPatch={onPatch} />
        <PermitsPanel facility={facility} canEdit={canEdit} onPatch={onPatch} />
      </div>

      <section aria-labelledby="history">
        <h2 id="history">Check history</h2>
        {history.error && <ErrorNotice error={history.error} retry={history.reload} />}
        {history.data && history.data.data.length === 0 && (
          <p class="muted">No checks recorded yet (a new check can take a few seconds to appear).</p>
        )}
        {history.data && history.data.data.length > 0 && (
          <ul class="list">
            {history.data.data.map((c) => (
              <li key={c.id}>
                <StatusBadge status={c.status} /> {formatDateTime(c.evaluatedAt)} (as of {formatDate(c.asOf)}
                ), {c.failing} failing{" "}
                <button type="button" class="link" onClick={() => void showCheck.run(c.id)}>
                  Show findings
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function findingsNote(
  note: "changed" | "earlier" | undefined,
  lastCheckedAt: string | null,
): ComponentChildren {
  if (note === "changed") return "The location changed since; run a check to refresh.";
  if (note === "earlier") {
    return `The status at the top is newer: it was worked out when the location was saved (${formatDateTime(lastCheckedAt)}), and only a check records findings.`;
  }
  return undefined;
}

function noFindings(facility: Facility, canCheck: boolean): string {
  if (canCheck) return "No check yet. Run one to see which rules pass and fail here.";
  if (facility.status) {
    return `This status was worked out when the location was saved (${formatDateTime(facility.lastCheckedAt)}). Its findings appear once someone who can run checks runs one.`;
  }
  return "No check yet.";
}
