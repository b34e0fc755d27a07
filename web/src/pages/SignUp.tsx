/**
 * Sign up: a company (tenant) and its owner, signed in at once.
 */
import { api } from "../api/client";
import type { Session } from "../api/types";
import { AuthShell } from "../components/AuthShell";
import { ErrorNotice, Field, formValues } from "../components/ui";
import { useSubmit } from "../hooks/useSubmit";
import { Link, navigate } from "../router";
import { useSessionApi } from "../session";

export function SignUp() {
  const { signedIn } = useSessionApi();
  const submit = useSubmit(async (values: Record<string, string>) => {
    const session = await api<Session>("/v1/auth/signup", {
      method: "POST",
      body: {
        companyName: values.companyName,
        name: values.name || undefined,
        email: values.email,
        password: values.password,
      },
    });
    navigate("/", { replace: true });
    signedIn(session);
  });
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
