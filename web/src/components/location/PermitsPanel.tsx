/**
 * Permits of a location; with write access, add one.
 */
import type { Facility, FacilityInput } from "../../api/types";
import { formatDate } from "../../format";
import { useSubmit } from "../../hooks/useSubmit";
import { options, PERMIT_LABEL } from "../../vocabulary";
import { ErrorNotice, Field, formValues } from "../ui";
import { Expiry } from "./Expiry";

type Permit = NonNullable<FacilityInput["permits"]>[number];

export function PermitsPanel({
  facility,
  canEdit,
  onPatch,
}: {
  facility: Facility;
  canEdit: boolean;
  onPatch(patch: Partial<FacilityInput>): Promise<void>;
}) {
  const permits = facility.permits ?? [];
  const submit = useSubmit(async (values: Record<string, string>) => {
    const permit = {
      type: values.type as Permit["type"],
      ...(values.number ? { number: values.number } : {}),
      ...(values.issuedAt ? { issuedAt: values.issuedAt } : {}),
      expiresAt: values.expiresAt || null,
    } as Permit;
    await onPatch({ permits: [...permits, permit] });
  });
  return (
    <section aria-labelledby="permits">
      <h2 id="permits">Permits</h2>
      {permits.length === 0 ? (
        <p class="muted">No permits recorded.</p>
      ) : (
        <ul class="list">
          {permits.map((p, i) => (
            <li key={`${p.type}-${i}`}>
              <strong>{PERMIT_LABEL[p.type]}</strong>
              {p.number && ` ${p.number}`} — issued {formatDate(p.issuedAt)}, <Expiry date={p.expiresAt} />
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <details>
          <summary>Add a permit</summary>
          <form class="inline-form" onSubmit={(e) => submit.run(formValues(e))}>
            {submit.error && <ErrorNotice error={submit.error} />}
            <div class="field">
              <label for="permit-type">Permit</label>
              <select id="permit-type" name="type">
                {options(PERMIT_LABEL).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <Field id="permit-number" label="Number" name="number" />
            <Field id="permit-issued" label="Issued on" name="issuedAt" type="date" />
            <Field id="permit-expires" label="Expires on" name="expiresAt" type="date" />
            <button type="submit" class="primary" disabled={submit.pending}>
              Add permit
            </button>
          </form>
        </details>
      )}
    </section>
  );
}
