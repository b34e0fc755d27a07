/**
 * The Notifications page's phone section (ADR 0021): add a number (a 6-digit code is texted
 * to it), enter the code, remove the number. SMS goes only to a verified number.
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import type { PhoneNumber as Phone } from "../api/types";
import { useResource } from "../hooks/useResource";
import { useSubmit } from "../hooks/useSubmit";
import { ErrorNotice, Loading } from "./ui";

export function PhoneNumber() {
  const phone = useResource<Phone>("/v1/notifications/phone");
  const [message, setMessage] = useState<string | null>(null);
  const send = useSubmit(async (form: HTMLFormElement) => {
    setMessage(null);
    const number = String(new FormData(form).get("phone")).replace(/[\s().-]/g, "");
    await api("/v1/notifications/phone", { method: "POST", body: { phone: number } });
    setMessage(`We texted a 6-digit code to ${number}.`);
    phone.reload();
  });
  const verify = useSubmit(async (form: HTMLFormElement) => {
    setMessage(null);
    const code = String(new FormData(form).get("code")).trim();
    await api("/v1/notifications/phone/verify", { method: "POST", body: { code } });
    setMessage("Phone number verified.");
    phone.reload();
  });
  const remove = useSubmit(async () => {
    setMessage(null);
    await api("/v1/notifications/phone", { method: "DELETE" });
    setMessage("Phone number removed.");
    phone.reload();
  });
  if (phone.error) return <ErrorNotice error={phone.error} retry={phone.reload} />;
  if (!phone.data) return <Loading what="your phone number" />;
  const p = phone.data;
  return (
    <section aria-labelledby="phone-heading">
      <h2 id="phone-heading">Phone for SMS</h2>
      {p.phone ? (
        <p>
          Texts go to <strong>{p.phone}</strong> (verified).{" "}
          <button type="button" disabled={remove.pending} onClick={() => void remove.run()}>
            Remove number
          </button>
        </p>
      ) : (
        <p class="hint">Add a mobile number to get alerts by SMS. Reply STOP to any text to stop them.</p>
      )}
      {remove.error && <ErrorNotice error={remove.error} />}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send.run(e.currentTarget as HTMLFormElement);
        }}
      >
        {send.error && <ErrorNotice error={send.error} />}
        <div class="field">
          <label for="phone">{p.phone ? "New phone number" : "Phone number"}</label>
          <input
            id="phone"
            name="phone"
            type="tel"
            autocomplete="tel"
            placeholder="+14155550123"
            required
            aria-invalid={send.error?.fieldError("/phone") ? true : undefined}
          />
          {send.error?.fieldError("/phone") && <p class="field-error">{send.error.fieldError("/phone")}</p>}
        </div>
        <button type="submit" disabled={send.pending}>
          Send code
        </button>
      </form>
      {p.pendingPhone && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void verify.run(e.currentTarget as HTMLFormElement);
          }}
        >
          {verify.error && <ErrorNotice error={verify.error} />}
          <div class="field">
            <label for="code">Code texted to {p.pendingPhone}</label>
            <input
              id="code"
              name="code"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
            />
          </div>
          <button type="submit" class="primary" disabled={verify.pending}>
            Verify
          </button>
        </form>
      )}
      {message && (
        <p class="notice notice-success" role="status">
          {message}
        </p>
      )}
    </section>
  );
}
