/**
 * Sign in with email and password.
 */
import { api } from "../api/client";
import type { Session } from "../api/types";
import { AuthShell } from "../components/AuthShell";
import { ErrorNotice, Field, formValues } from "../components/ui";
import { useSubmit } from "../hooks/useSubmit";
import { Link } from "../router";
import { useSessionApi } from "../session";

export function SignIn() {
  const { signedIn } = useSessionApi();
  const submit = useSubmit(async (values: Record<string, string>) => {
    signedIn(
      await api<Session>("/v1/auth/signin", {
        method: "POST",
        body: { email: values.email, password: values.password },
      }),
    );
  });
  return (
    <AuthShell title="Sign in">
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
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" class="primary" disabled={submit.pending}>
          {submit.pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New to Prep? <Link href="/signup">Create an account</Link>
      </p>
    </AuthShell>
  );
}
