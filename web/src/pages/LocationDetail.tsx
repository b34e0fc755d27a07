/**
 * A location: status, the findings behind that status (grouped by jurisdiction layer), run a
 * check, staff and credentials, permits, edit details, and its check history.
 *
 * The findings shown are the facility's latest verdict (GET /v1/facilities/{id}/verdict):
 * the evaluation behind its status, whether it came from adding or changing the location, a
 * check, a deadline passing or a rule change. Reading it is not a check and costs nothing; a
 * past check from the history can be shown instead, marked as such.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import type { CheckResult, CheckSummary, Facility, FacilityInput, FacilityVerdict, Page } from "../api/types";
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

/** How each cause of a verdict reads after "Worked out when". */
const CAUSE: Record<FacilityVerdict["cause"], string> = {
  created: "the location was added",
  updated: "the location was last changed",
  check: "the location was last checked",
  deadline: "a deadline passed",
  rules: "the rules changed",
  reconciled: "Prep caught up with a change it had missed",
};

export function LocationDetail({ id }: { id: string }) {
  const loaded = useResource<Facility>(`/v1/facilities/${id}`);
  const latest = useResource<FacilityVerdict>(`/v1/facilities/${id}/verdict`);
  const history = useResource<Page<CheckSummary>>(`/v1/facilities/${id}/checks?limit=10`);
  const [facility, setFacility] = useState<Facility>();
  /** A past check chosen from the history, shown instead of the latest verdict. */
  const [past, setPast] = useState<CheckResult>();
  const canEdit = useCan("facilities:write");
  const canCheck = useCan("checks:write");

  useEffect(() => setFacility(loaded.data), [loaded.data]);

  const runCheck = useSubmit(async () => {
    await api<CheckResult>(`/v1/facilities/${id}/checks`, { method: "POST", body: {} });
    setPast(undefined);
    setFacility(await api<Facility>(`/v1/facilities/${id}`));
    latest.reload();
    history.reload();
  });
  const showCheck = useSubmit(async (checkId: string) => {
    setPast(await api<CheckResult>(`/v1/checks/${checkId}`));
  });
  const onPatch = async (patch: Partial<FacilityInput>) => {
    setFacility(await api<Facility>(`/v1/facilities/${id}`, { method: "PATCH", body: patch }));
    setPast(undefined);
    latest.reload();
  };

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
        <StatusBadge status={latest.data?.status ?? facility.status} />
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
        {past ? (
          <Findings
            result={past}
            note={
              <>
                An earlier check, not the latest.{" "}
                <button type="button" class="link" onClick={() => setPast(undefined)}>
                  Show the latest
                </button>
              </>
            }
          />
        ) : latest.data ? (
          <Findings result={latest.data} note={`Worked out when ${CAUSE[latest.data.cause]}.`} />
        ) : latest.error ? (
          <ErrorNotice error={latest.error} retry={latest.reload} />
        ) : (
          <Loading what="the findings" />
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
