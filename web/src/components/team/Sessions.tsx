/**
 * A member's active web sessions (when and from where each started), each with "End": the
 * owner's or admin's way to sign someone out of one browser at once.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import type { MemberSession, Page, TeamMember } from "../../api/types";
import { formatDateTime } from "../../format";
import { useResource } from "../../hooks/useResource";
import { useSubmit } from "../../hooks/useSubmit";
import { ErrorNotice, Loading } from "../ui";

export function Sessions({ member }: { member: TeamMember }) {
  const [open, setOpen] = useState(false);
  const sessions = useResource<Page<MemberSession>>(open ? `/v1/users/${member.id}/sessions` : null);
  const end = useSubmit(async (session: MemberSession) => {
    await api(`/v1/users/${member.id}/sessions/${session.id}`, { method: "DELETE" });
    sessions.reload();
  });
  if (!open) {
    return (
      <button type="button" class="link" onClick={() => setOpen(true)}>
        Sessions of {member.email}
      </button>
    );
  }
  return (
    <section aria-label={`Sessions of ${member.email}`}>
      {end.error && <ErrorNotice error={end.error} />}
      {sessions.loading && !sessions.data && <Loading what="sessions" />}
      {sessions.error && <ErrorNotice error={sessions.error} retry={sessions.reload} />}
      {sessions.data && sessions.data.data.length === 0 && <p class="muted">Not signed in anywhere.</p>}
      {sessions.data && sessions.data.data.length > 0 && (
        <ul class="list" data-testid={`sessions-${member.id}`}>
          {sessions.data.data.map((s) => (
            <li key={s.id}>
              Since {formatDateTime(s.createdAt)}
              {s.createdIp ? ` from ${s.createdIp}` : ""}
              {s.userAgent ? <span class="muted"> · {s.userAgent}</span> : null}
              {s.current ? (
                <span class="muted"> (this session)</span>
              ) : (
                <>
                  {" "}
                  <button type="button" class="link" disabled={end.pending} onClick={() => void end.run(s)}>
                    End
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
