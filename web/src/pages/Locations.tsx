/**
 * Locations: search by name or city, filter by status, state and group, sort; the filters
 * live in the URL so a filtered list can be bookmarked or shared.
 */
import type { Facility, Group, Page } from "../api/types";
import { DataTable } from "../components/lists";
import { Empty, ErrorNotice, Loading, StatusBadge } from "../components/ui";
import { formatDateTime, STATUS_LABEL, STATUSES } from "../format";
import { MAX_LOCATIONS, useFacilities } from "../hooks/useFacilities";
import { useResource } from "../hooks/useResource";
import { Link, navigate, useLocation } from "../router";
import { useSession } from "../session";

const SORTS = {
  name: { label: "Name", compare: (a: Facility, b: Facility) => a.name.localeCompare(b.name) },
  status: {
    label: "Status (worst first)",
    compare: (a: Facility, b: Facility) => rank(b) - rank(a) || a.name.localeCompare(b.name),
  },
  checked: {
    label: "Last checked",
    compare: (a: Facility, b: Facility) => (b.lastCheckedAt ?? "").localeCompare(a.lastCheckedAt ?? ""),
  },
} as const;
type SortKey = keyof typeof SORTS;

function rank(f: Facility): number {
  return f.status ? STATUSES.indexOf(f.status) : -1;
}

export function Locations() {
  const url = useLocation();
  const session = useSession();
  const facilities = useFacilities();
  const groups = useResource<Page<Group>>("/v1/groups");
  const q = url.searchParams.get("q") ?? "";
  const status = url.searchParams.get("status") ?? "";
  const state = url.searchParams.get("state") ?? "";
  const group = url.searchParams.get("group") ?? "";
  const sort = (url.searchParams.get("sort") ?? "name") as SortKey;

  const setParam = (name: string, value: string) => {
    const next = new URL(url);
    if (value) next.searchParams.set(name, value);
    else next.searchParams.delete(name);
    navigate(`${next.pathname}${next.search}`, { replace: true });
  };

  if (facilities.loading) return <Loading what="locations" />;
  if (facilities.error || !facilities.data)
    return facilities.error ? <ErrorNotice error={facilities.error} retry={facilities.reload} /> : null;
  const all = facilities.data;
  const members = new Set(groups.data?.data.find((g) => g.id === group)?.facilityIds ?? []);
  const needle = q.trim().toLowerCase();
  const shown = all
    .filter(
      (f) =>
        !needle || f.name.toLowerCase().includes(needle) || f.address.city.toLowerCase().includes(needle),
    )
    .filter((f) => !status || f.status === status)
    .filter((f) => !state || f.address.state === state)
    .filter((f) => !group || members.has(f.id))
    .sort((SORTS[sort] ?? SORTS.name).compare);
  const states = [...new Set(all.map((f) => f.address.state))].sort();

  return (
    <>
      <div class="page-head">
        <h1>Locations</h1>
        {session.locations === null && session.scopes.includes("facilities:write") && (
          <Link class="button primary" href="/locations/new">
            Add a location
          </Link>
        )}
      </div>
      <search class="filters">
        <div class="field">
          <label for="q">Search</label>
          <input
            id="q"
            type="search"
            value={q}
            placeholder="Name or city"
            onInput={(e) => setParam("q", e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select id="status" value={status} onChange={(e) => setParam("status", e.currentTarget.value)}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="state">State</label>
          <select id="state" value={state} onChange={(e) => setParam("state", e.currentTarget.value)}>
            <option value="">Any</option>
            {states.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        {groups.data && groups.data.data.length > 0 && (
          <div class="field">
            <label for="group">Group</label>
            <select id="group" value={group} onChange={(e) => setParam("group", e.currentTarget.value)}>
              <option value="">Any</option>
              {groups.data.data.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name} ({g.kind})
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="sort">Sort by</label>
          <select id="sort" value={sort} onChange={(e) => setParam("sort", e.currentTarget.value)}>
            {Object.entries(SORTS).map(([key, s]) => (
              <option key={key} value={key}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      </search>
      {all.length === 0 ? (
        <Empty title="No locations yet.">
          <p>
            {session.locations === null
              ? "Add your first kitchen to check it."
              : "No locations are assigned to you yet. Ask an owner or admin of your team."}
          </p>
        </Empty>
      ) : shown.length === 0 ? (
        <Empty title="No location matches these filters.">
          <button type="button" onClick={() => navigate("/locations", { replace: true })}>
            Clear filters
          </button>
        </Empty>
      ) : (
        <DataTable
          columns={["Name", "City", "State", "Status", "Last checked"]}
          caption={`${shown.length} of ${all.length} locations`}
        >
          {shown.map((f) => (
            <tr key={f.id}>
              <td>
                <Link href={`/locations/${f.id}`}>{f.name}</Link>
              </td>
              <td>{f.address.city}</td>
              <td>{f.address.state}</td>
              <td>
                <StatusBadge status={f.status} />
              </td>
              <td>{formatDateTime(f.lastCheckedAt)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {all.length >= MAX_LOCATIONS && <p class="muted">Showing the first {MAX_LOCATIONS} locations.</p>}
    </>
  );
}
