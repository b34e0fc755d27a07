/**
 * API keys: create one (its secret is shown once, here) and revoke.
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import type { CreatedKey, KeySummary, Page } from "../api/types";
import { Empty, ErrorNotice, Field, formValues, Loading } from "../components/ui";
import { formatDateTime } from "../format";
import { useResource } from "../hooks/useResource";
import { useSubmit } from "../hooks/useSubmit";

export function ApiKeys() {
  const keys = useResource<Page<KeySummary>>("/v1/keys");
  const [created, setCreated] = useState<CreatedKey>();
  const create = useSubmit(async (values: Record<string, string>, form: HTMLFormElement) => {
    setCreated(await api<CreatedKey>("/v1/keys", { method: "POST", body: { name: values.name } }));
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
      {keys.loading && !keys.data && <Loading what="keys" />}
      {keys.error && <ErrorNotice error={keys.error} retry={keys.reload} />}
      {keys.data && keys.data.data.length === 0 && (
        <Empty title="No keys yet.">Create one above to call the API.</Empty>
      )}
      {keys.data && keys.data.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.data.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{formatDateTime(key.createdAt)}</td>
                  <td>{key.revokedAt ? `Revoked ${formatDateTime(key.revokedAt)}` : "Active"}</td>
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
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
