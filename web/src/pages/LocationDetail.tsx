/**
 * A location: status, findings of its latest check (grouped by jurisdiction layer), run a
 * check, staff and credentials, permits, edit details, and its check history.
 */
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

export function LocationDetail({ id }: { id: string }) {
  const loaded = useResource<Facility>(`/v1/facilities/${id}`);
  const history = useResource<Page<CheckSummary>>(`/v1/facilities/${id}/checks?limit=10`);
  const [facility, setFacility] = useState<Facility>();
  const [result, setResult] = useState<CheckResult>();
  const [stale, setStale] = useState(false);
  const canEdit = useCan("facilities:write");
  const canCheck = useCan("checks:write");

  useEffect(() => setFacility(loaded.data), [loaded.data]);
  // Show the latest stored check until one is run here.
  const latestId = history.data?.data[0]?.id;
  useEffect(() => {
    if (latestId && !result) void api<CheckResult>(`/v1/checks/${latestId}`).then(setResult, () => undefined);
  }, [latestId]);

  const runCheck = useSubmit(async () => {
    setResult(await api<CheckResult>(`/v1/facilities/${id}/checks`, { method: "POST", body: {} }));
    setStale(false);
    setFacility(await api<Facility>(`/v1/facilities/${id}`));
    history.reload();
  });
  const onPatch = async (patch: Partial<FacilityInput>) => {
    setFacility(await api<Facility>(`/v1/facilities/${id}`, { method: "PATCH", body: patch }));
    setStale(true);
  };
  const show = async (checkId: string) => {
    setResult(await api<CheckResult>(`/v1/checks/${checkId}`));
    setStale(false);
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
        {result ? (
          <Findings result={result} stale={stale} />
        ) : (
          <p class="muted">
            {canCheck ? "No check yet. Run one to see which rules pass and fail here." : "No check yet."}
          </p>
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
                <button type="button" class="link" onClick={() => void show(c.id)}>
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
