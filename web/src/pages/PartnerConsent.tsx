/**
 * /oauth/authorize — the consent screen of a partner's authorization request (ADR 0023). The
 * partner sent the owner here with its parameters; the API checks them (registered client
 * and redirect URI, scopes, PKCE) and says who asks for what. "Allow" gets a one-time code
 * and returns the browser to the partner; "Deny" returns it with `error=access_denied`. A
 * request the API refuses is shown here and never redirected.
 */
import { api } from "../api/client";
import type { ConsentDecision, ConsentView } from "../api/types";
import { ErrorNotice, Loading } from "../components/ui";
import { useResource } from "../hooks/useResource";
import { useSubmit } from "../hooks/useSubmit";
import { scopeLabel } from "../partner-scopes";
import { useLocation } from "../router";
import { useSession } from "../session";

export function PartnerConsent() {
  const session = useSession();
  const query = useLocation().search;
  const request = Object.fromEntries(new URLSearchParams(query));
  const view = useResource<ConsentView>(session.user.role === "owner" ? `/v1/partner-consent${query}` : null);
  const allow = useSubmit(async () => {
    const decision = await api<ConsentDecision>("/v1/partner-consent", { method: "POST", body: request });
    location.assign(decision.redirectTo);
  });
  if (session.user.role !== "owner")
    return (
      <>
        <h1>Link a partner</h1>
        <p role="alert">
          Only an owner of {session.tenant.name} can link a partner. Ask an owner to open this link.
        </p>
      </>
    );
  return (
    <>
      <h1>Link a partner</h1>
      {view.loading && !view.data && <Loading what="the request" />}
      {view.error && <ErrorNotice error={view.error} />}
      {view.data && (
        <section aria-labelledby="consent-title">
          <h2 id="consent-title">
            {view.data.partnerName} asks to work with {session.tenant.name}
          </h2>
          <p>If you allow it, {view.data.partnerName} may:</p>
          <ul data-testid="consent-scopes">
            {view.data.scopes.map((scope) => (
              <li key={scope}>{scopeLabel(scope)}</li>
            ))}
          </ul>
          <p>
            You can revoke this at any time on the Partners page. Every call it makes for you is in your audit
            log; a call you have not allowed is refused and changes nothing.
          </p>
          {allow.error && <ErrorNotice error={allow.error} />}
          <button type="button" class="primary" disabled={allow.pending} onClick={() => void allow.run()}>
            Allow
          </button>{" "}
          <button type="button" onClick={() => view.data && location.assign(view.data.denyRedirect)}>
            Deny
          </button>
        </section>
      )}
    </>
  );
}
