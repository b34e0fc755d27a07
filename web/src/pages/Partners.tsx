/**
 * Partners (owners only): the kitchen marketplaces linked to the business, what each may do,
 * consent to a pending invitation and revoke access (effective at the partner's next request).
 */
import { api } from "../api/client";
import type { Page, PartnerGrant } from "../api/types";
import { DataTable, ListStates } from "../components/lists";
import { Empty, ErrorNotice } from "../components/ui";
import { formatDateTime } from "../format";
import { useResource } from "../hooks/useResource";
import { useSubmit } from "../hooks/useSubmit";
import { scopeLabel } from "../partner-scopes";

function grantState(grant: PartnerGrant): string {
  if (grant.status === "revoked") return `Revoked ${grant.revokedAt ? formatDateTime(grant.revokedAt) : ""}`;
  if (grant.status === "invited") return "Waiting for your consent";
  return `Allowed ${grant.consentedAt ? formatDateTime(grant.consentedAt) : ""}`;
}

export function Partners() {
  const grants = useResource<Page<PartnerGrant>>("/v1/partner-grants");
  const decide = useSubmit(async (grant: PartnerGrant, allow: boolean) => {
    if (!allow && !confirm(`Revoke ${grant.partnerName}'s access? It stops at their next request.`)) return;
    await api(allow ? `/v1/partner-grants/${grant.id}/consent` : `/v1/partner-grants/${grant.id}`, {
      method: allow ? "POST" : "DELETE",
    });
    grants.reload();
  });
  return (
    <>
      <h1>Partners</h1>
      <p>
        Kitchen marketplaces and other partners you work with can check your compliance for you, only with
        your consent and only for what you allow. Every call they make for you is in your audit log; a call
        you have not allowed is refused and changes nothing.
      </p>
      {decide.error && <ErrorNotice error={decide.error} />}
      <ListStates
        list={grants}
        what="partners"
        empty={
          <Empty title="No partners yet.">
            A partner links to your business when you approve its request.
          </Empty>
        }
      >
        {(items) => (
          <DataTable columns={["Partner", "May", "State"]} actions>
            {items.map((grant) => (
              <tr key={grant.id} data-testid={`grant-${grant.id}`}>
                <td>{grant.partnerName}</td>
                <td>
                  <ul>
                    {grant.scopes.map((scope) => (
                      <li key={scope}>{scopeLabel(scope)}</li>
                    ))}
                  </ul>
                </td>
                <td>{grantState(grant)}</td>
                <td>
                  {grant.status === "invited" && (
                    <button
                      type="button"
                      class="primary"
                      disabled={decide.pending}
                      onClick={() => void decide.run(grant, true)}
                    >
                      Allow {grant.partnerName}
                    </button>
                  )}{" "}
                  {grant.status !== "revoked" && (
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Revoke ${grant.partnerName}`}
                      disabled={decide.pending}
                      onClick={() => void decide.run(grant, false)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </ListStates>
    </>
  );
}
