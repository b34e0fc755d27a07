/**
 * Sign up: a company (tenant) and its owner. The account is created when the link emailed
 * to the address is opened (VerifyEmail), so this page ends with "check your email" —
 * whatever the address, since the API never says whether it has an account.
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { AuthShell } from "../components/AuthShell";
import { ErrorNotice, Field, formValues } from "../components/ui";
import { useSubmit } from "../hooks/useSubmit";
import { Link } from "../router";

export function SignUp() {
  const [sentTo, setSentTo] = useState<string>();
  const submit = useSubmit(async (values: Record<string, string>) => {
    const answer = await api<{ email: string }>("/v1/auth/signup", {
      method: "POST",
      body: {
        companyName: values.companyName,
        name: values.name || undefined,
        email: values.email,
        password: values.password,
      },
    });
    setSentTo(answer.email);
  });
  if (sentTo) {
    return (
      <AuthShell title="Check your email">
        <p role="status" data-testid="signup-sent">
          We sent a link to <strong>{sentTo}</strong>. Open it within 24 hours to create your account.
        </p>
        <p>
          Already have an account? <Link href="/signin">Sign in</Link>
        </p>
      </AuthShell>
    );
  }
  const fieldError = (pointer: string) => submit.error?.fieldError(pointer);
  return (
    <AuthShell title="Create your Prep account">
      <form onSubmit={(e) => submit.run(formValues(e))}>
        {submit.error && <ErrorNotice error={submit.error} />}
        <Field
          label="Company name"
          name="companyName"
          required
          autoComplete="organization"
          error={fieldError("/companyName")}
        />
        <Field label="Your name" name="name" autoComplete="name" error={fieldError("/name")} />
        <Field
          label="Work email"
          name="email"
          type="email"
          required
          autoComplete="email"
          error={fieldError("/email")}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
          hint="At least 12 characters. A passphrase works well."
          error={fieldError("/password")}
        />
        <button type="submit" class="primary" disabled={submit.pending}>
          {submit.pending ? "Creating…" : "Create account"}
        </button>
      </form>
      <p>
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
    </AuthShell>
  );
}
