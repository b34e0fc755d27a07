/**
 * Accept an invite: the link's token (in the URL fragment, never sent to a server log)
 * plus a name and password create the account and sign in.
 */
import { api } from "../api/client";
import type { Session } from "../api/types";
import { AuthShell } from "../components/AuthShell";
import { Empty, ErrorNotice, Field, formValues } from "../components/ui";
import { useSubmit } from "../hooks/useSubmit";
import { Link, navigate } from "../router";
import { useSessionApi } from "../session";

export function AcceptInvite() {
  const { signedIn } = useSessionApi();
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  const submit = useSubmit(async (values: Record<string, string>) => {
    const session = await api<Session>("/v1/auth/invites/accept", {
      method: "POST",
      body: { token, name: values.name || undefined, password: values.password },
    });
    navigate("/", { replace: true });
    signedIn(session);
  });
  if (!token) {
    return (
      <AuthShell title="Join your team">
        <Empty title="This invite link is incomplete.">
          <p>Open the full link your admin sent you, or ask them for a new one.</p>
        </Empty>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Join your team">
      <form onSubmit={(e) => submit.run(formValues(e))}>
        {submit.error && <ErrorNotice error={submit.error} />}
        <Field label="Your name" name="name" autoComplete="name" />
        <Field
          label="Choose a password"
          name="password"
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
          hint="At least 12 characters."
          error={submit.error?.fieldError("/password")}
        />
        <button type="submit" class="primary" disabled={submit.pending}>
          {submit.pending ? "Joining…" : "Join"}
        </button>
      </form>
      <p>
        Already joined? <Link href="/signin">Sign in</Link>
      </p>
    </AuthShell>
  );
}
