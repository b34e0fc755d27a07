/**
 * Evidence: export chosen locations (or all) over a period as signed JSON + PDF, watch it
 * build, download its files, and share a ready export with an auditor through an expiring
 * link whose every access is listed here; links can be revoked; and a monthly or quarterly
 * schedule of exports (each closed period, announced when ready). Owners and admins create,
 * share and schedule (`exports:write`); the page lists what `exports:read` may see.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import type { CreatedShare, EvidenceExport, ExportSchedule, Page, ShareLink } from "../api/types";
import { DataTable } from "../components/lists";
import { Empty, ErrorNotice, Field, formValues, Loading } from "../components/ui";
import { formatDate, formatDateTime, today } from "../format";
import { useFacilities } from "../hooks/useFacilities";
import { useResource } from "../hooks/useResource";
import { useSubmit } from "../hooks/useSubmit";
import { useSession } from "../session";

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const STATUS_TEXT: Record<EvidenceExport["status"], string> = {
  queued: "Queued",
  running: "Building",
  ready: "Ready",
  failed: "Failed",
};

const sizeLabel = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1048576
      ? `${(bytes / 1024).toFixed(1)} kB`
      : `${(bytes / 1048576).toFixed(1)} MB`;

export function Evidence() {
  const session = useSession();
  const canWrite = session.scopes.includes("exports:write");
  const exports = useResource<Page<EvidenceExport>>("/v1/exports?limit=20");
  const facilities = useFacilities();
  const building = exports.data?.data.some((row) => row.status === "queued" || row.status === "running");
  useEffect(() => {
    if (!building) return;
    const timer = setInterval(exports.reload, 1500);
    return () => clearInterval(timer);
  }, [building, exports.reload]);

  const create = useSubmit(async (event: SubmitEvent) => {
    const form = event.currentTarget as HTMLFormElement;
    const values = formValues(event);
    const chosen = [...form.querySelectorAll<HTMLInputElement>("input[name=facility]:checked")].map(
      (box) => box.value,
    );
    await api<EvidenceExport>("/v1/exports", {
      method: "POST",
      body: {
        ...(chosen.length > 0 ? { facilityIds: chosen } : {}),
        ...(values.from ? { from: values.from } : {}),
        ...(values.to ? { to: values.to } : {}),
      },
    });
    exports.reload();
  });

  return (
    <>
      <h1>Evidence</h1>
      <p>
        Exports an auditor can verify: every location's verdict and checks with citations, credentials,
        permits, alerts, temperature logs and audit entries, as JSON and a PDF report, with a signed manifest
        (<code>npx prep evidence verify</code>).
      </p>
      {canWrite && (
        <form class="inline-form" aria-label="New export" onSubmit={(e) => create.run(e)}>
          {create.error && <ErrorNotice error={create.error} />}
          <Field
            label="From"
            name="from"
            type="date"
            defaultValue={addDays(today(), -29)}
            max={today()}
            error={create.error?.fieldError("/from")}
          />
          <Field
            label="To"
            name="to"
            type="date"
            defaultValue={today()}
            max={today()}
            error={create.error?.fieldError("/to")}
          />
          <fieldset>
            <legend>Locations (none ticked: all)</legend>
            {facilities.data?.map((facility) => (
              <label class="check" key={facility.id}>
                <input type="checkbox" name="facility" value={facility.id} /> {facility.name}
              </label>
            ))}
          </fieldset>
          <button type="submit" class="primary" disabled={create.pending}>
            Create export
          </button>
        </form>
      )}
      {canWrite && <ScheduleForm facilities={facilities.data ?? []} />}
      {exports.loading && !exports.data && <Loading what="exports" />}
      {exports.error && <ErrorNotice error={exports.error} retry={exports.reload} />}
      {exports.data && exports.data.data.length === 0 && (
        <Empty title="No exports yet.">
          {canWrite ? "Create one above." : "An owner or admin can create one."}
        </Empty>
      )}
      {exports.data?.data.map((row) => (
        <ExportCard key={row.id} row={row} canWrite={canWrite} />
      ))}
    </>
  );
}

const CADENCE_TEXT = { monthly: "every month", quarterly: "every quarter" } as const;

/**
 * The schedule: off, monthly or quarterly, for all locations or the ticked ones. No schedule
 * is a 404 from the API, shown here as "off".
 */
function ScheduleForm({ facilities }: { facilities: readonly { id: string; name: string }[] }) {
  const schedule = useResource<ExportSchedule>("/v1/exports/schedule");
  const missing = schedule.error?.problem.status === 404;
  const current = missing ? null : schedule.data;
  const [saved, setSaved] = useState<string>();
  const save = useSubmit(async (event: SubmitEvent) => {
    const form = event.currentTarget as HTMLFormElement;
    const cadence = formValues(event).cadence;
    const chosen = [...form.querySelectorAll<HTMLInputElement>("input[name=scheduled]:checked")].map(
      (box) => box.value,
    );
    if (cadence === "off") {
      if (current) await api("/v1/exports/schedule", { method: "DELETE" });
    } else {
      await api<ExportSchedule>("/v1/exports/schedule", {
        method: "PUT",
        body: { cadence, facilityIds: chosen.length > 0 ? chosen : null },
      });
    }
    setSaved(
      cadence === "off"
        ? "Scheduled exports are off."
        : `Saved: an export ${CADENCE_TEXT[cadence as keyof typeof CADENCE_TEXT]}.`,
    );
    schedule.reload();
  });
  if (schedule.loading && !schedule.data && !schedule.error) return <Loading what="the schedule" />;
  if (schedule.error && !missing) return <ErrorNotice error={schedule.error} retry={schedule.reload} />;
  const scheduled = new Set(current?.facilityIds ?? []);
  return (
    <form
      class="card"
      aria-label="Scheduled exports"
      key={current?.updatedAt ?? "none"}
      onSubmit={(e) => {
        setSaved(undefined);
        save.run(e);
      }}
    >
      <h2>Scheduled exports</h2>
      <p>
        {current
          ? `An export of each closed ${current.cadence === "monthly" ? "month" : "quarter"} is built on its own and announced when ready${current.lastPeriodFrom ? `; the last one covered the period from ${formatDate(current.lastPeriodFrom)}` : ""}.`
          : "Off: exports are made only when asked for."}
      </p>
      {save.error && <ErrorNotice error={save.error} />}
      <label>
        Cadence{" "}
        <select name="cadence">
          <option value="off" selected={!current}>
            Off
          </option>
          <option value="monthly" selected={current?.cadence === "monthly"}>
            Monthly
          </option>
          <option value="quarterly" selected={current?.cadence === "quarterly"}>
            Quarterly
          </option>
        </select>
      </label>
      <fieldset>
        <legend>Locations (none ticked: all, including ones added later)</legend>
        {facilities.map((facility) => (
          <label class="check" key={facility.id}>
            <input
              type="checkbox"
              name="scheduled"
              value={facility.id}
              defaultChecked={scheduled.has(facility.id)}
              aria-label={`Schedule ${facility.name}`}
            />{" "}
            {facility.name}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={save.pending}>
        Save schedule
      </button>
      {saved && <p role="status">{saved}</p>}
    </form>
  );
}

function ExportCard({ row, canWrite }: { row: EvidenceExport; canWrite: boolean }) {
  return (
    <section class="card" aria-label={`Export ${row.id}`} data-testid="export">
      <h2>
        {formatDate(row.from)} – {formatDate(row.to)}{" "}
        <span class="badge" data-testid="export-status">
          {STATUS_TEXT[row.status]}
        </span>
      </h2>
      <p>
        {row.progress.locationsTotal} location(s){row.allFacilities ? " (all)" : ""} · asked{" "}
        {formatDateTime(row.createdAt)}
        {row.status === "running" && (
          <>
            {" "}
            · <progress value={row.progress.locationsDone} max={row.progress.locationsTotal} />{" "}
            {row.progress.locationsDone}/{row.progress.locationsTotal}
          </>
        )}
      </p>
      {row.error && <p class="notice notice-error">{row.error}</p>}
      {row.status === "ready" && (
        <>
          <p>
            <a href={`/v1/exports/${row.id}/bundle.zip`} download>
              Download everything (zip)
            </a>
          </p>
          <ul class="files">
            {row.files.map((file) => (
              <li key={file.name}>
                <a href={new URL(file.url).pathname} download>
                  {file.name}
                </a>{" "}
                <span class="muted">
                  {sizeLabel(file.size)} · SHA-256 <code>{file.sha256.slice(0, 16)}…</code>
                </span>
              </li>
            ))}
          </ul>
          <Shares exportId={row.id} canWrite={canWrite} />
        </>
      )}
    </section>
  );
}

function shareState(link: ShareLink): string {
  if (link.status === "revoked") return `Revoked ${formatDateTime(link.revokedAt)}`;
  if (link.status === "expired") return `Expired ${formatDateTime(link.expiresAt)}`;
  return `Active until ${formatDateTime(link.expiresAt)}`;
}

function Shares({ exportId, canWrite }: { exportId: string; canWrite: boolean }) {
  const links = useResource<Page<ShareLink>>(`/v1/exports/${exportId}/shares`);
  const [created, setCreated] = useState<CreatedShare>();
  const share = useSubmit(async (values: Record<string, string>) => {
    const expiresAt = new Date(`${values.expiresOn}T23:59:59`).toISOString();
    setCreated(
      await api<CreatedShare>(`/v1/exports/${exportId}/shares`, {
        method: "POST",
        body: { expiresAt, ...(values.email ? { email: values.email } : {}) },
      }),
    );
    links.reload();
  });
  const revoke = useSubmit(async (link: ShareLink) => {
    if (!confirm("Revoke this link? The auditor will no longer be able to open it.")) return;
    await api(`/v1/exports/${exportId}/shares/${link.id}`, { method: "DELETE" });
    links.reload();
  });
  return (
    <div class="shares">
      <h3>Auditor links</h3>
      {canWrite && (
        <form
          class="inline-form"
          aria-label="Share with an auditor"
          onSubmit={(e) => share.run(formValues(e))}
        >
          {share.error && <ErrorNotice error={share.error} />}
          <Field
            label="Link expires on"
            name="expiresOn"
            type="date"
            required
            defaultValue={addDays(today(), 7)}
            min={addDays(today(), 1)}
            max={addDays(today(), 89)}
            error={share.error?.fieldError("/expiresAt")}
          />
          <Field
            label="Auditor's email (optional)"
            name="email"
            type="email"
            error={share.error?.fieldError("/email")}
          />
          <button type="submit" disabled={share.pending}>
            Create link
          </button>
        </form>
      )}
      {created && (
        <div class="notice notice-success" role="status">
          <p>
            <strong>Send this link to the auditor.</strong> It is shown only now.
          </p>
          <p>
            <code class="secret" data-testid="share-url">
              {created.url}
            </code>
          </p>
        </div>
      )}
      {revoke.error && <ErrorNotice error={revoke.error} />}
      {links.error && <ErrorNotice error={links.error} retry={links.reload} />}
      {links.data && links.data.data.length === 0 && <p class="muted">No links yet.</p>}
      {links.data?.data.map((link) => (
        <div class="share" key={link.id} data-testid="share">
          <p>
            {link.email ?? "Link"} · <span data-testid="share-state">{shareState(link)}</span> ·{" "}
            {link.accessCount} access(es){" "}
            {canWrite && link.status === "active" && (
              <button type="button" onClick={() => revoke.run(link)}>
                Revoke
              </button>
            )}
          </p>
          {link.accesses.length > 0 && (
            <DataTable columns={["When", "What", "IP", "Browser", "Outcome"]} caption="Accesses">
              {link.accesses.map((access) => (
                <tr key={`${access.at}-${access.resource}`} data-testid="access">
                  <td>{formatDateTime(access.at)}</td>
                  <td>{access.resource}</td>
                  <td>{access.ip ?? "—"}</td>
                  <td>{access.userAgent ?? "—"}</td>
                  <td>{access.outcome}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </div>
      ))}
    </div>
  );
}
