/**
 * "Forgot password": asks for a reset link by email. The answer is the same for any
 * address, so the page says so rather than "sent".
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { AuthShell } from "../components/AuthShell";
import { ErrorNotice, Field, formValues } from "../components/ui";
import { useSubmit } from "../hooks/useSubmit";
import { Link } from "../router";

export function ForgotPassword() {
  const [sentTo, setSentTo] = useState<string>();
  const submit = useSubmit(async (values: Record<string, string>) => {
    const answer = await api<{ email: string }>("/v1/auth/password-reset", {
      method: "POST",
      body: { email: values.email },
    });
    setSentTo(answer.email);
  });
  return (
    <AuthShell title="Reset your password">
      {sentTo ? (
        <p role="status" data-testid="reset-sent">
          If <strong>{sentTo}</strong> has a Prep account, a link to choose a new password is on its way. It
          works once, within an hour.
        </p>
      ) : (
        <form onSubmit={(e) => submit.run(formValues(e))}>
          {submit.error && <ErrorNotice error={submit.error} />}
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            required
            error={submit.error?.fieldError("/email")}
          />
          <button type="submit" class="primary" disabled={submit.pending}>
            {submit.pending ? "Sending…" : "Email me a link"}
          </button>
        </form>
      )}
      <p>
        <Link href="/signin">Back to sign-in</Link>
      </p>
    </AuthShell>
  );
}
