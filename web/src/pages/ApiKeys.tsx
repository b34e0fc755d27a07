/**
 * API keys: create one (its secret is shown once, here), optionally with an expiry date, and
 * revoke. A key stops working when the person who made it leaves the team (or takes a role
 * that may not hold it), unless an owner made it as a service key.
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import type { CreatedKey, KeySummary, Page } from "../api/types";
import { DataTable, ListStates } from "../components/lists";
import { Empty, ErrorNotice, Field, formValues } from "../components/ui";
import { formatDate, formatDateTime, today } from "../format";
import { useResource } from "../hooks/useResource";
import { useSubmit } from "../hooks/useSubmit";
import { useSession } from "../session";

/** The API's limit on a key's lifetime (workers/routes/keys/schemas.ts KEY_MAX_LIFETIME_DAYS). */
const MAX_LIFETIME_DAYS = 366;

/** The last moment of a calendar date in the user's time zone, as the API's RFC 3339 timestamp. */
const endOfDay = (date: string) => new Date(`${date}T23:59:59`).toISOString();

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00`);
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

const REVOKED_BECAUSE: Record<string, string> = {
  creator_removed: "its creator left the team",
  creator_demoted: "its creator's role changed",
};

function keyState(key: KeySummary): string {
  if (key.revokedAt) {
    const why = key.revokedReason ? REVOKED_BECAUSE[key.revokedReason] : undefined;
    return `Revoked ${formatDateTime(key.revokedAt)}${why ? ` (${why})` : ""}`;
  }
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now())
    return `Expired ${formatDateTime(key.expiresAt)}`;
  return "Active";
}

export function ApiKeys() {
  const session = useSession();
  const isOwner = session.user.role === "owner";
  const keys = useResource<Page<KeySummary>>("/v1/keys");
  const [created, setCreated] = useState<CreatedKey>();
  const create = useSubmit(async (values: Record<string, string>, form: HTMLFormElement) => {
    const body = {
      name: values.name,
      ...(values.expiresOn ? { expiresAt: endOfDay(values.expiresOn) } : {}),
      ...(values.service === "on" ? { service: true } : {}),
    };
    setCreated(await api<CreatedKey>("/v1/keys", { method: "POST", body }));
    form.reset();
    keys.reload();
  });
  const revoke = useSubmit(async (key: KeySummary) => {
    if (!confirm(`Revoke "${key.name}"? Systems using it stop working within a minute.`)) return;
    await api(`/v1/keys/${key.id}`, { method: "DELETE" });
    keys.reload();
  });
  return (
    <>
      <h1>API keys</h1>
      <p>Keys let your POS, scheduling or HR systems call the Prep API. Treat them like passwords.</p>
      <form
        class="inline-form"
        onSubmit={(e) => create.run(formValues(e), e.currentTarget as HTMLFormElement)}
      >
        {create.error && <ErrorNotice error={create.error} />}
        <Field
          label="Key name"
          name="name"
          required
          placeholder="e.g. POS integration"
          error={create.error?.fieldError("/name")}
        />
        <Field
          label="Expires on"
          name="expiresOn"
          type="date"
          min={addDays(today(), 1)}
          max={addDays(today(), MAX_LIFETIME_DAYS - 1)}
          hint="Optional. Leave empty for a key that works until revoked."
          error={create.error?.fieldError("/expiresAt")}
        />
        {isOwner && (
          <label class="check">
            <input type="checkbox" name="service" /> Service key (keeps working if you leave the team)
          </label>
        )}
        <button type="submit" class="primary" disabled={create.pending}>
          Create key
        </button>
      </form>
      {created && (
        <div class="notice notice-success" role="status">
          <p>
            <strong>Copy your new key now.</strong> It will not be shown again.
          </p>
          <p>
            <code class="secret" data-testid="new-key">
              {created.key}
            </code>{" "}
            <button type="button" onClick={() => void navigator.clipboard?.writeText(created.key)}>
              Copy
            </button>
          </p>
        </div>
      )}
      {revoke.error && <ErrorNotice error={revoke.error} />}
      <ListStates
        list={keys}
        what="keys"
        empty={<Empty title="No keys yet.">Create one above to call the API.</Empty>}
      >
        {(items) => (
          <DataTable columns={["Name", "Key", "Created", "Expires", "State"]} actions>
            {items.map((key) => (
              <tr key={key.id}>
                <td>
                  {key.name}
                  {key.service && (
                    <>
                      {" "}
                      <span class="badge" title="Made by an owner; outlives its creator's membership">
                        Service key
                      </span>
                    </>
                  )}
                </td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{formatDateTime(key.createdAt)}</td>
                <td>{key.expiresAt ? formatDate(key.expiresAt) : "Never"}</td>
                <td>{keyState(key)}</td>
                <td>
                  {!key.revokedAt && (
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Revoke ${key.name}`}
                      disabled={revoke.pending}
                      onClick={() => void revoke.run(key)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </ListStates>
    </>
  );
}
