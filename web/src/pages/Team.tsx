/**
 * Team: members with their roles (change, remove), managers' locations, their active
 * sessions (end one), pending invites, and inviting someone. Only owners and admins see the controls; the API enforces it.
 */
import { api } from "../api/client";
import type { Group, Invite, Page, Role, TeamMember } from "../api/types";
import { Assignments } from "../components/team/Assignments";
import { InviteForm } from "../components/team/InviteForm";
import { ROLE_HELP } from "../components/team/roles";
import { Sessions } from "../components/team/Sessions";
import { ErrorNotice, Loading } from "../components/ui";
import { formatDate } from "../format";
import { useFacilities } from "../hooks/useFacilities";
import { useResource } from "../hooks/useResource";
import { useSubmit } from "../hooks/useSubmit";
import { useCan, useSession } from "../session";

export function Team() {
  const session = useSession();
  const canManage = useCan("team:write");
  const members = useResource<Page<TeamMember>>("/v1/users");
  const invites = useResource<Page<Invite>>(canManage ? "/v1/invites" : null);
  const groups = useResource<Page<Group>>("/v1/groups");
  const facilities = useFacilities();
  const change = useSubmit(async (member: TeamMember, role: Role) => {
    await api(`/v1/users/${member.id}`, { method: "PATCH", body: { role } });
    members.reload();
  });
  const remove = useSubmit(async (member: TeamMember) => {
    if (!confirm(`Remove ${member.email} from the team? They are signed out at once.`)) return;
    await api(`/v1/users/${member.id}`, { method: "DELETE" });
    members.reload();
  });
  const withdraw = useSubmit(async (invite: Invite) => {
    await api(`/v1/invites/${invite.id}`, { method: "DELETE" });
    invites.reload();
  });
  const mayChange = (m: TeamMember) =>
    canManage && m.id !== session.user.id && (m.role !== "owner" || session.user.role === "owner");
  const roleChoices = (Object.keys(ROLE_HELP) as Role[]).filter(
    (r) => r !== "owner" || session.user.role === "owner",
  );

  return (
    <>
      <h1>Team</h1>
      {[change.error, remove.error, withdraw.error].map(
        (e) => e && <ErrorNotice key={e.problem.requestId} error={e} />,
      )}
      {members.loading && !members.data && <Loading what="the team" />}
      {members.error && <ErrorNotice error={members.error} retry={members.reload} />}
      {members.data && (
        <ul class="list">
          {members.data.data.map((m) => (
            <li key={m.id}>
              <p>
                <strong>{m.name ?? m.email}</strong> {m.name && <span class="muted">{m.email}</span>}{" "}
                {m.id === session.user.id && <span class="muted">(you)</span>}
              </p>
              {mayChange(m) ? (
                <div class="row">
                  <div class="field">
                    <label for={`role-${m.id}`}>Role</label>
                    <select
                      id={`role-${m.id}`}
                      value={m.role}
                      disabled={change.pending}
                      onChange={(e) => void change.run(m, e.currentTarget.value as Role)}
                    >
                      {roleChoices.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </div>
                  <button
                    type="button"
                    class="danger"
                    aria-label={`Remove ${m.email}`}
                    onClick={() => void remove.run(m)}
                  >
                    Remove
                  </button>
                </div>
              ) : (
                <p>Role: {m.role}</p>
              )}
              {canManage && (m.id === session.user.id || mayChange(m)) && <Sessions member={m} />}
              {m.role === "manager" && canManage && (
                <Assignments
                  member={m}
                  facilities={facilities.data ?? []}
                  groups={groups.data?.data ?? []}
                  onSaved={members.reload}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {canManage && <InviteForm inviterRole={session.user.role} onInvited={invites.reload} />}
      {canManage && invites.data && invites.data.data.length > 0 && (
        <section aria-labelledby="pending">
          <h2 id="pending">Pending invites</h2>
          <ul class="list">
            {invites.data.data.map((invite) => (
              <li key={invite.id}>
                {invite.email} as {invite.role}, expires {formatDate(invite.expiresAt)}{" "}
                <button type="button" class="link" onClick={() => void withdraw.run(invite)}>
                  Withdraw
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
