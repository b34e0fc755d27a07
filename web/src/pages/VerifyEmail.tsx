/**
 * The sign-up email's link: confirms the address, which creates the company and its owner
 * and signs in. The token is in the URL fragment, never sent to a server log.
 */
import { api } from "../api/client";
import type { Session } from "../api/types";
import { AuthShell } from "../components/AuthShell";
import { Empty, ErrorNotice } from "../components/ui";
import { useSubmit } from "../hooks/useSubmit";
import { Link, navigate } from "../router";
import { useSessionApi } from "../session";

export function VerifyEmail() {
  const { signedIn } = useSessionApi();
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  const submit = useSubmit(async () => {
    const session = await api<Session>("/v1/auth/signup/verify", { method: "POST", body: { token } });
    navigate("/", { replace: true });
    signedIn(session);
  });
  if (!token) {
    return (
      <AuthShell title="Confirm your email">
        <Empty title="This link is incomplete.">
          <p>
            Open the full link from the email, or <Link href="/signup">sign up again</Link>.
          </p>
        </Empty>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Confirm your email">
      {submit.error && <ErrorNotice error={submit.error} />}
      <p>Confirm that this address is yours to create your Prep account.</p>
      <button type="button" class="primary" disabled={submit.pending} onClick={() => void submit.run()}>
        {submit.pending ? "Creating…" : "Confirm and create my account"}
      </button>
    </AuthShell>
  );
}
