/**
 * The reset email's link: choose a new password. Every session of the account is signed
 * out; the user then signs in with the new password.
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { AuthShell } from "../components/AuthShell";
import { Empty, ErrorNotice, Field, formValues } from "../components/ui";
import { useSubmit } from "../hooks/useSubmit";
import { Link } from "../router";

export function ResetPassword() {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  const [done, setDone] = useState(false);
  const submit = useSubmit(async (values: Record<string, string>) => {
    await api("/v1/auth/password-reset/confirm", {
      method: "POST",
      body: { token, password: values.password },
    });
    setDone(true);
  });
  if (!token) {
    return (
      <AuthShell title="Choose a new password">
        <Empty title="This link is incomplete.">
          <p>
            Open the full link from the email, or <Link href="/forgot-password">ask for a new one</Link>.
          </p>
        </Empty>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Choose a new password">
      {done ? (
        <p role="status" data-testid="reset-done">
          Your password is changed and every session was signed out. <Link href="/signin">Sign in</Link> with
          the new one.
        </p>
      ) : (
        <form onSubmit={(e) => submit.run(formValues(e))}>
          {submit.error && <ErrorNotice error={submit.error} />}
          <Field
            label="New password"
            name="password"
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
            hint="At least 12 characters."
            error={submit.error?.fieldError("/password")}
          />
          <button type="submit" class="primary" disabled={submit.pending}>
            {submit.pending ? "Saving…" : "Set new password"}
          </button>
        </form>
      )}
    </AuthShell>
  );
}
