/**
 * Add a location: the essentials (name, type, address); staff, permits and credentials are
 * added on its page. It is evaluated as soon as it is stored.
 */
import { api } from "../api/client";
import type { Facility, FacilityInput } from "../api/types";
import { ErrorNotice, Field, formValues } from "../components/ui";
import { useSubmit } from "../hooks/useSubmit";
import { Link, navigate } from "../router";
import { FACILITY_TYPE_LABEL, options } from "../vocabulary";

export function NewLocation() {
  const submit = useSubmit(async (values: Record<string, string>) => {
    const body: FacilityInput = {
      name: values.name ?? "",
      type: values.type as FacilityInput["type"],
      address: {
        city: values.city ?? "",
        state: (values.state ?? "").toUpperCase(),
        ...(values.line1 ? { line1: values.line1 } : {}),
        ...(values.postalCode ? { postalCode: values.postalCode } : {}),
      },
      ...(values.openedAt ? { openedAt: values.openedAt } : {}),
      // Sent as typed (a number when it reads as one): the API validates it and points at the field.
      ...(values.chainLocations ? { chainLocations: Number(values.chainLocations) } : {}),
    } as FacilityInput;
    const created = await api<Facility>("/v1/facilities", { method: "POST", body });
    navigate(`/locations/${created.id}`);
  });
  const fieldError = (pointer: string) => submit.error?.fieldError(pointer);
  return (
    <>
      <p>
        <Link href="/locations">← Locations</Link>
      </p>
      <h1>Add a location</h1>
      <form class="form" onSubmit={(e) => submit.run(formValues(e))}>
        {submit.error && <ErrorNotice error={submit.error} />}
        <Field label="Name" name="name" required error={fieldError("/name")} />
        <div class="field">
          <label for="field-type">Type</label>
          <select id="field-type" name="type" required>
            {options(FACILITY_TYPE_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Field
          label="Street address"
          name="line1"
          autoComplete="address-line1"
          error={fieldError("/address/line1")}
        />
        <div class="row">
          <Field
            label="City"
            name="city"
            required
            autoComplete="address-level2"
            error={fieldError("/address/city")}
          />
          <Field
            label="State"
            name="state"
            required
            maxLength={2}
            size={3}
            hint="Two letters, e.g. CA"
            autoComplete="address-level1"
            error={fieldError("/address/state")}
          />
          <Field
            label="ZIP code"
            name="postalCode"
            autoComplete="postal-code"
            error={fieldError("/address/postalCode")}
          />
        </div>
        <Field label="Opened on" name="openedAt" type="date" error={fieldError("/openedAt")} />
        <Field
          label="Locations in the chain"
          name="chainLocations"
          type="number"
          min={1}
          step={1}
          hint="Locations under the same name and menu, this one included; leave empty for a single location. Chains of 20 or more must label calories on menus."
          error={fieldError("/chainLocations")}
        />
        <button type="submit" class="primary" disabled={submit.pending}>
          {submit.pending ? "Adding…" : "Add location"}
        </button>
      </form>
    </>
  );
}
