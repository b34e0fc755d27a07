/**
 * Notifications settings: which events reach the signed-in user, on which channels (email,
 * SMS to a verified phone), for which locations (all they may see, or chosen ones), at once
 * or as a daily digest at an hour of their time zone, and SMS quiet hours. Saved with PUT
 * /v1/notifications/preferences; the phone number has its own section (PhoneNumber).
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import type { Facility, NotificationPreferences, Page } from "../api/types";
import { PhoneNumber } from "../components/PhoneNumber";
import { ErrorNotice, Loading } from "../components/ui";
import { useResource } from "../hooks/useResource";
import { useSubmit } from "../hooks/useSubmit";
import { EVENT_TYPE_LABEL } from "../vocabulary";

const CHANNEL_LABELS: Record<string, string> = { email: "Email", sms: "SMS (text message)" };

export function Notifications() {
  const prefs = useResource<NotificationPreferences>("/v1/notifications/preferences");
  const facilities = useResource<Page<Facility>>("/v1/facilities?limit=100");
  const [saved, setSaved] = useState(false);
  const save = useSubmit(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const chosen = data.getAll("facilityIds").map(String);
    const body = {
      events: data.getAll("events").map(String),
      channels: data.getAll("channels").map(String),
      facilityIds: data.get("scope") === "chosen" ? chosen : null,
      delivery: String(data.get("delivery")),
      digestHour: Number(data.get("digestHour")),
      timeZone: String(data.get("timeZone")),
      urgentImmediately: data.get("urgentImmediately") === "on",
      quietHours:
        data.get("quiet") === "on"
          ? { from: String(data.get("quietFrom")), to: String(data.get("quietTo")) }
          : null,
      urgentBreaksQuietHours: data.get("urgentBreaksQuietHours") === "on",
    };
    setSaved(false);
    await api("/v1/notifications/preferences", { method: "PUT", body });
    setSaved(true);
    prefs.reload();
  });
  if (prefs.error) return <ErrorNotice error={prefs.error} retry={prefs.reload} />;
  if (!prefs.data) return <Loading what="your notification settings" />;
  const p = prefs.data;
  return (
    <>
      <h1>Notifications</h1>
      <p>Choose what Prep tells you about, and how. Nothing is sent until you pick a channel.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save.run(e.currentTarget as HTMLFormElement);
        }}
      >
        {save.error && <ErrorNotice error={save.error} />}
        <fieldset>
          <legend>Channels</legend>
          {p.channelTypes.map((channel) => (
            <label class="check" key={channel}>
              <input
                type="checkbox"
                name="channels"
                value={channel}
                defaultChecked={p.channels.includes(channel)}
              />{" "}
              {CHANNEL_LABELS[channel] ?? channel}
            </label>
          ))}
          <p class="hint">Email goes to your sign-in address; SMS to the phone number verified below.</p>
        </fieldset>
        <fieldset>
          <legend>Events</legend>
          {p.eventTypes.map((type) => (
            <label class="check" key={type}>
              <input type="checkbox" name="events" value={type} defaultChecked={p.events.includes(type)} />{" "}
              {EVENT_TYPE_LABEL[type]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Locations</legend>
          <label class="check">
            <input type="radio" name="scope" value="all" defaultChecked={p.facilityIds === null} /> Every
            location I can see
          </label>
          <label class="check">
            <input type="radio" name="scope" value="chosen" defaultChecked={p.facilityIds !== null} /> Only
            these:
          </label>
          {(facilities.data?.data ?? []).map((f) => (
            <label class="check" key={f.id}>
              <input
                type="checkbox"
                name="facilityIds"
                value={f.id}
                defaultChecked={p.facilityIds?.includes(f.id) ?? false}
              />{" "}
              {f.name}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>When</legend>
          <div class="field">
            <label for="delivery">Delivery</label>
            <select id="delivery" name="delivery">
              <option value="immediate" selected={p.delivery === "immediate"}>
                As it happens
              </option>
              <option value="digest" selected={p.delivery === "digest"}>
                A daily digest
              </option>
            </select>
          </div>
          <div class="field">
            <label for="digestHour">Digest hour</label>
            <input
              id="digestHour"
              name="digestHour"
              type="number"
              min={0}
              max={23}
              defaultValue={String(p.digestHour)}
            />
          </div>
          <div class="field">
            <label for="timeZone">Time zone</label>
            <input
              id="timeZone"
              name="timeZone"
              defaultValue={p.timeZone}
              aria-invalid={save.error?.fieldError("/timeZone") ? true : undefined}
            />
            {save.error?.fieldError("/timeZone") && (
              <p class="field-error">{save.error.fieldError("/timeZone")}</p>
            )}
          </div>
          <label class="check">
            <input type="checkbox" name="urgentImmediately" defaultChecked={p.urgentImmediately} /> Send
            failures at once even in digest mode
          </label>
        </fieldset>
        <fieldset>
          <legend>SMS quiet hours</legend>
          <p class="hint">In each location's local time; texts wait until quiet hours end.</p>
          <label class="check">
            <input type="checkbox" name="quiet" defaultChecked={p.quietHours !== null} /> No texts between
          </label>
          <div class="field">
            <label for="quietFrom">Quiet from</label>
            <input id="quietFrom" name="quietFrom" type="time" defaultValue={p.quietHours?.from ?? "21:00"} />
          </div>
          <div class="field">
            <label for="quietTo">Quiet until</label>
            <input id="quietTo" name="quietTo" type="time" defaultValue={p.quietHours?.to ?? "08:00"} />
          </div>
          {save.error?.fieldError("/quietHours") && (
            <p class="field-error">{save.error.fieldError("/quietHours")}</p>
          )}
          <label class="check">
            <input type="checkbox" name="urgentBreaksQuietHours" defaultChecked={p.urgentBreaksQuietHours} />{" "}
            Text failures even in quiet hours
          </label>
        </fieldset>
        <button type="submit" class="primary" disabled={save.pending}>
          Save preferences
        </button>
        {saved && (
          <p class="notice notice-success" role="status">
            Preferences saved.
          </p>
        )}
      </form>
      <PhoneNumber />
    </>
  );
}
