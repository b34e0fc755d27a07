/**
 * Edit a location's name, type and address (a merge patch; the location is re-evaluated).
 */
import type { Facility, FacilityInput } from "../../api/types";
import { useSubmit } from "../../hooks/useSubmit";
import { FACILITY_TYPE_LABEL, options } from "../../vocabulary";
import { ErrorNotice, Field, formValues } from "../ui";

export function EditDetails({
  facility,
  onPatch,
}: {
  facility: Facility;
  onPatch(patch: Partial<FacilityInput>): Promise<void>;
}) {
  const submit = useSubmit(async (values: Record<string, string>) => {
    await onPatch({
      name: values.name,
      type: values.type as FacilityInput["type"],
      address: {
        ...facility.address,
        line1: values.line1 || undefined,
        city: values.city ?? "",
        state: (values.state ?? "").toUpperCase() as FacilityInput["address"]["state"],
      },
    });
  });
  const fieldError = (pointer: string) => submit.error?.fieldError(pointer);
  return (
    <details>
      <summary>Edit details</summary>
      <form class="inline-form" onSubmit={(e) => submit.run(formValues(e))}>
        {submit.error && <ErrorNotice error={submit.error} />}
        <Field
          id="edit-name"
          label="Name"
          name="name"
          value={facility.name}
          required
          error={fieldError("/name")}
        />
        <div class="field">
          <label for="edit-type">Type</label>
          <select id="edit-type" name="type" value={facility.type}>
            {options(FACILITY_TYPE_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Field id="edit-line1" label="Street address" name="line1" value={facility.address.line1 ?? ""} />
        <Field
          id="edit-city"
          label="City"
          name="city"
          value={facility.address.city}
          required
          error={fieldError("/address/city")}
        />
        <Field
          id="edit-state"
          label="State"
          name="state"
          value={facility.address.state}
          maxLength={2}
          required
          error={fieldError("/address/state")}
        />
        <button type="submit" class="primary" disabled={submit.pending}>
          Save details
        </button>
      </form>
    </details>
  );
}
