/**
 * Staff and their credentials; with write access, add a person or a credential (the
 * facility is saved whole, as the API's merge patch replaces the staff array).
 */
import { useState } from "preact/hooks";
import type { Facility, FacilityInput } from "../../api/types";
import { formatDate } from "../../format";
import { useSubmit } from "../../hooks/useSubmit";
import { CREDENTIAL_LABEL, options, STAFF_ROLE_LABEL } from "../../vocabulary";
import { ErrorNotice, Field, formValues } from "../ui";
import { Expiry } from "./Expiry";

type Staff = NonNullable<FacilityInput["staff"]>[number];
type Credential = NonNullable<Staff["credentials"]>[number];

interface Props {
  facility: Facility;
  canEdit: boolean;
  onPatch(patch: Partial<FacilityInput>): Promise<void>;
}

function AddCredential({
  person,
  index,
  facility,
  onPatch,
}: { person: Staff; index: number } & Omit<Props, "canEdit">) {
  const [open, setOpen] = useState(false);
  const submit = useSubmit(async (values: Record<string, string>) => {
    const credential = {
      type: values.type as Credential["type"],
      ...(values.issuedAt ? { issuedAt: values.issuedAt } : {}),
      expiresAt: values.expiresAt || null,
    } as Credential;
    const staff = (facility.staff ?? []).map((s, i) =>
      i === index ? { ...s, credentials: [...(s.credentials ?? []), credential] } : s,
    );
    await onPatch({ staff });
    setOpen(false);
  });
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Add credential for {person.name ?? person.id}
      </button>
    );
  }
  const id = `cred-${index}`;
  return (
    <form
      class="inline-form"
      aria-label={`Add a credential for ${person.name ?? person.id}`}
      onSubmit={(e) => submit.run(formValues(e))}
    >
      {submit.error && <ErrorNotice error={submit.error} />}
      <div class="field">
        <label for={`${id}-type`}>Credential</label>
        <select id={`${id}-type`} name="type">
          {options(CREDENTIAL_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <Field id={`${id}-issuedAt`} label="Issued on" name="issuedAt" type="date" />
      <Field id={`${id}-expiresAt`} label="Expires on" name="expiresAt" type="date" />
      <button type="submit" class="primary" disabled={submit.pending}>
        Save credential
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

function AddPerson({ facility, onPatch }: Omit<Props, "canEdit">) {
  const submit = useSubmit(async (values: Record<string, string>) => {
    const person = {
      id: values.externalId || crypto.randomUUID().slice(0, 8),
      name: values.name,
      role: values.role,
      hiredAt: values.hiredAt,
    } as Staff;
    await onPatch({ staff: [...(facility.staff ?? []), person] });
  });
  return (
    <details>
      <summary>Add a person</summary>
      <form class="inline-form" onSubmit={(e) => submit.run(formValues(e))}>
        {submit.error && <ErrorNotice error={submit.error} />}
        <Field label="Name" name="name" required />
        <div class="field">
          <label for="staff-role">Role</label>
          <select id="staff-role" name="role">
            {options(STAFF_ROLE_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Field label="Hired on" name="hiredAt" type="date" required />
        <Field
          label="Employee id (optional)"
          name="externalId"
          hint="Your own id for this person, e.g. from payroll."
        />
        <button type="submit" class="primary" disabled={submit.pending}>
          Add person
        </button>
      </form>
    </details>
  );
}

export function StaffPanel({ facility, canEdit, onPatch }: Props) {
  const staff = facility.staff ?? [];
  return (
    <section aria-labelledby="staff">
      <h2 id="staff">Staff and credentials</h2>
      {staff.length === 0 && (
        <p class="muted">
          No staff recorded. Rules about food handler cards and certified managers need them.
        </p>
      )}
      <ul class="list">
        {staff.map((person, index) => (
          <li key={person.id}>
            <p>
              <strong>{person.name ?? person.id}</strong> — {STAFF_ROLE_LABEL[person.role]}, hired{" "}
              {formatDate(person.hiredAt)}
            </p>
            <ul>
              {(person.credentials ?? []).map((c, i) => (
                <li key={`${c.type}-${i}`}>
                  {CREDENTIAL_LABEL[c.type]}: issued {formatDate(c.issuedAt)}, <Expiry date={c.expiresAt} />
                </li>
              ))}
              {(person.credentials ?? []).length === 0 && <li class="muted">No credentials.</li>}
            </ul>
            {canEdit && <AddCredential person={person} index={index} facility={facility} onPatch={onPatch} />}
          </li>
        ))}
      </ul>
      {canEdit && <AddPerson facility={facility} onPatch={onPatch} />}
    </section>
  );
}
