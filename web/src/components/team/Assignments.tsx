/**
 * A manager's locations and groups, as checkboxes; saved with PATCH /v1/users/{id}.
 */
import { api } from "../../api/client";
import type { Facility, Group, TeamMember } from "../../api/types";
import { useSubmit } from "../../hooks/useSubmit";
import { ErrorNotice } from "../ui";

export function Assignments({
  member,
  facilities,
  groups,
  onSaved,
}: {
  member: TeamMember;
  facilities: Facility[];
  groups: Group[];
  onSaved(): void;
}) {
  const submit = useSubmit(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    await api(`/v1/users/${member.id}`, {
      method: "PATCH",
      body: {
        facilityIds: data.getAll("facilityIds").map(String),
        groupIds: data.getAll("groupIds").map(String),
      },
    });
    onSaved();
  });
  return (
    <details>
      <summary>
        Locations: {member.facilityIds.length} assigned, {member.groupIds.length} group
        {member.groupIds.length === 1 ? "" : "s"}
      </summary>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run(e.currentTarget as HTMLFormElement);
        }}
      >
        {submit.error && <ErrorNotice error={submit.error} />}
        <fieldset>
          <legend>Locations</legend>
          {facilities.length === 0 && <p class="muted">No locations yet.</p>}
          {facilities.map((f) => (
            <label key={f.id} class="check">
              <input
                type="checkbox"
                name="facilityIds"
                value={f.id}
                checked={member.facilityIds.includes(f.id)}
              />{" "}
              {f.name}
            </label>
          ))}
        </fieldset>
        {groups.length > 0 && (
          <fieldset>
            <legend>Groups (every location in them)</legend>
            {groups.map((g) => (
              <label key={g.id} class="check">
                <input
                  type="checkbox"
                  name="groupIds"
                  value={g.id}
                  checked={member.groupIds.includes(g.id)}
                />{" "}
                {g.name} ({g.kind})
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" class="primary" disabled={submit.pending}>
          Save locations
        </button>
      </form>
    </details>
  );
}
