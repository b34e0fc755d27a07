/**
 * The signed-in user's account: change the password (every other session is signed out).
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { ErrorNotice, Field, formValues } from "../components/ui";
import { useSubmit } from "../hooks/useSubmit";
import { useSession } from "../session";

export function Account() {
  const session = useSession();
  const [changed, setChanged] = useState(false);
  const submit = useSubmit(async (values: Record<string, string>, form: HTMLFormElement) => {
    setChanged(false);
    await api("/v1/account/password", {
      method: "POST",
      body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
    });
    form.reset();
    setChanged(true);
  });
  return (
    <>
      <h1>Account</h1>
      <p>
        Signed in as <strong>{session.user.email}</strong> ({session.user.role} of {session.tenant.name}).
      </p>
      <section aria-labelledby="password">
        <h2 id="password">Change your password</h2>
        <form onSubmit={(e) => submit.run(formValues(e), e.currentTarget as HTMLFormElement)}>
          {submit.error && <ErrorNotice error={submit.error} />}
          {changed && (
            <p class="notice notice-success" role="status" data-testid="password-changed">
              Password changed. Your other sessions were signed out.
            </p>
          )}
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            required
            autoComplete="current-password"
            error={submit.error?.fieldError("/currentPassword")}
          />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
            hint="At least 12 characters. Your other sessions will be signed out."
            error={submit.error?.fieldError("/newPassword")}
          />
          <button type="submit" class="primary" disabled={submit.pending}>
            {submit.pending ? "Saving…" : "Change password"}
          </button>
        </form>
      </section>
    </>
  );
}
