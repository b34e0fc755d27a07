/**
 * Invite someone by email with a role; the link goes to their address only (so the answer
 * never says whether the address has an account elsewhere).
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import type { CreatedInvite, Role } from "../../api/types";
import { useSubmit } from "../../hooks/useSubmit";
import { ErrorNotice, Field, formValues } from "../ui";
import { ROLE_HELP } from "./roles";

export function InviteForm({ inviterRole, onInvited }: { inviterRole: Role; onInvited(): void }) {
  const [created, setCreated] = useState<CreatedInvite>();
  const submit = useSubmit(async (values: Record<string, string>, form: HTMLFormElement) => {
    setCreated(
      await api<CreatedInvite>("/v1/invites", {
        method: "POST",
        body: { email: values.email, role: values.role },
      }),
    );
    form.reset();
    onInvited();
  });
  const roles = (Object.keys(ROLE_HELP) as Role[]).filter((r) => r !== "owner" || inviterRole === "owner");
  return (
    <section aria-labelledby="invite">
      <h2 id="invite">Invite someone</h2>
      <form
        class="inline-form"
        onSubmit={(e) => submit.run(formValues(e), e.currentTarget as HTMLFormElement)}
      >
        {submit.error && <ErrorNotice error={submit.error} />}
        <Field
          id="invite-email"
          label="Email"
          name="email"
          type="email"
          required
          error={submit.error?.fieldError("/email")}
        />
        <div class="field">
          <label for="invite-role">Role</label>
          <select id="invite-role" name="role">
            {roles.map((r) => (
              <option key={r} value={r} selected={r === "viewer"}>
                {r} — {ROLE_HELP[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary" disabled={submit.pending}>
          Send invite
        </button>
      </form>
      {created && (
        <div class="notice notice-success" role="status">
          <p data-testid="invite-sent">
            <strong>Invite sent to {created.invite.email}.</strong> The link in the email works once, for 7
            days.
          </p>
        </div>
      )}
    </section>
  );
}
