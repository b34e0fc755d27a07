/**
 * Webhooks: endpoints that receive signed Standard Webhooks requests. Create one (its secret
 * is shown once, here), send a test event, rotate the secret (the old one keeps signing for a
 * day), pause, enable again after automatic disabling, delete; each endpoint's delivery log
 * with its attempts, and replay. Owners and admins (scope `webhooks:write`).
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import type { CreatedWebhook, Page, RotatedSecret, WebhookDelivery, WebhookEndpoint } from "../api/types";
import { DataTable, ListStates } from "../components/lists";
import { Empty, ErrorNotice, Field } from "../components/ui";
import { formatDateTime } from "../format";
import { useResource } from "../hooks/useResource";
import { useSubmit } from "../hooks/useSubmit";
import { EVENT_TYPES } from "../vocabulary";

function Deliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const log = useResource<Page<WebhookDelivery>>(`/v1/webhooks/${endpoint.id}/deliveries?limit=20`);
  const replay = useSubmit(async (delivery: WebhookDelivery) => {
    await api(`/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}/replay`, { method: "POST" });
    log.reload();
  });
  return (
    <section aria-label={`Deliveries to ${endpoint.url}`}>
      <h3>
        Delivery log{" "}
        <button type="button" onClick={log.reload}>
          Refresh
        </button>
      </h3>
      {replay.error && <ErrorNotice error={replay.error} />}
      <ListStates list={log} what="deliveries" empty={<p>No deliveries yet.</p>}>
        {(items) => (
          <DataTable
            columns={["Event", "Status", "Attempts", "Last answer", "Created"]}
            actions
            testId="deliveries"
          >
            {items.map((d) => (
              <tr key={d.id}>
                <td>{d.eventType}</td>
                <td data-testid="delivery-status">{d.status}</td>
                <td>{d.attempts}</td>
                <td>{d.lastResponseStatus ?? d.lastError ?? "—"}</td>
                <td>{formatDateTime(d.createdAt)}</td>
                <td>
                  <button type="button" onClick={() => void replay.run(d)} disabled={replay.pending}>
                    Replay
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </ListStates>
    </section>
  );
}

export function Webhooks() {
  const endpoints = useResource<Page<WebhookEndpoint>>("/v1/webhooks");
  const [secret, setSecret] = useState<{ url: string; secret: string }>();
  const [notice, setNotice] = useState<string>();
  const [open, setOpen] = useState<string>();
  const create = useSubmit(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const created = await api<CreatedWebhook>("/v1/webhooks", {
      method: "POST",
      body: { url: String(data.get("url")), events: data.getAll("events").map(String) },
    });
    setSecret({ url: created.url, secret: created.secret });
    form.reset();
    endpoints.reload();
  });
  const act = useSubmit(
    async (endpoint: WebhookEndpoint, action: "test" | "rotate" | "toggle" | "delete") => {
      setNotice(undefined);
      if (action === "test") {
        await api(`/v1/webhooks/${endpoint.id}/test`, { method: "POST" });
        setNotice(`Test event sent to ${endpoint.url}.`);
        setOpen(endpoint.id);
      } else if (action === "rotate") {
        const rotated = await api<RotatedSecret>(`/v1/webhooks/${endpoint.id}/secret/rotate`, {
          method: "POST",
        });
        setSecret({ url: endpoint.url, secret: rotated.secret });
        setNotice(`The old secret keeps signing until ${formatDateTime(rotated.previousSecretExpiresAt)}.`);
      } else if (action === "toggle") {
        await api(`/v1/webhooks/${endpoint.id}`, { method: "PATCH", body: { enabled: !endpoint.enabled } });
      } else {
        if (!confirm(`Delete the endpoint ${endpoint.url}? Queued deliveries are canceled.`)) return;
        await api(`/v1/webhooks/${endpoint.id}`, { method: "DELETE" });
      }
      endpoints.reload();
    },
  );
  return (
    <>
      <h1>Webhooks</h1>
      <p>
        Prep sends signed <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> requests to your
        endpoints. Verify them with the endpoint's secret.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create.run(e.currentTarget as HTMLFormElement);
        }}
      >
        {create.error && <ErrorNotice error={create.error} />}
        <Field
          label="Endpoint URL"
          name="url"
          type="url"
          required
          placeholder="https://example.com/prep-webhooks"
          error={create.error?.fieldError("/url")}
        />
        <fieldset>
          <legend>Events</legend>
          {EVENT_TYPES.map((type) => (
            <label class="check" key={type}>
              <input
                type="checkbox"
                name="events"
                value={type}
                defaultChecked={type === "facility.status_changed"}
              />{" "}
              <code>{type}</code>
            </label>
          ))}
        </fieldset>
        <button type="submit" class="primary" disabled={create.pending}>
          Add endpoint
        </button>
      </form>
      {secret && (
        <div class="notice notice-success" role="status">
          <p>
            <strong>Copy the signing secret for {secret.url} now.</strong> It will not be shown again.
          </p>
          <p>
            <code class="secret" data-testid="webhook-secret">
              {secret.secret}
            </code>
          </p>
        </div>
      )}
      {notice && <p role="status">{notice}</p>}
      {act.error && <ErrorNotice error={act.error} />}
      <ListStates
        list={endpoints}
        what="endpoints"
        empty={<Empty title="No endpoints yet.">Add one above to receive events.</Empty>}
      >
        {(items) =>
          items.map((endpoint) => (
            <article class="card" key={endpoint.id} data-testid="endpoint">
              <h2>
                <code>{endpoint.url}</code> {endpoint.enabled ? "" : <span class="badge">Disabled</span>}
              </h2>
              <p>
                Events: {endpoint.events.join(", ")}
                {endpoint.disabledReason && <> — disabled: {endpoint.disabledReason}</>}
              </p>
              <p>
                <button
                  type="button"
                  onClick={() => void act.run(endpoint, "test")}
                  disabled={act.pending || !endpoint.enabled}
                >
                  Send test event
                </button>{" "}
                <button type="button" onClick={() => void act.run(endpoint, "rotate")} disabled={act.pending}>
                  Rotate secret
                </button>{" "}
                <button type="button" onClick={() => void act.run(endpoint, "toggle")} disabled={act.pending}>
                  {endpoint.enabled ? "Pause" : "Enable"}
                </button>{" "}
                <button type="button" onClick={() => void act.run(endpoint, "delete")} disabled={act.pending}>
                  Delete
                </button>{" "}
                <button type="button" onClick={() => setOpen(open === endpoint.id ? undefined : endpoint.id)}>
                  {open === endpoint.id ? "Hide deliveries" : "Show deliveries"}
                </button>
              </p>
              {open === endpoint.id && <Deliveries endpoint={endpoint} />}
            </article>
          ))
        }
      </ListStates>
    </>
  );
}
