/**
 * Add a location: the essentials (name, type, address); staff, permits and credentials are
 * added on its page. It is evaluated as soon as it is stored.
 */
import { api } from "../api/client";
import type { Facility, FacilityInput } from "../api/types";
import { ErrorNotice, Field, formValues } from "../components/ui";
import { useSubmit } from "../hooks/useSubmit";
import { Link, navigate } from "../router";
import { FACILITY_TYPE_LABEL, NOTICE_LABEL, options } from "../vocabulary";

type Notice = NonNullable<FacilityInput["postedNotices"]>[number];

/**
 * The notices ticked, "none" as an empty list (every posting rule then fails), and nothing
 * ticked as not stated (the rules say they could not check) — the API's three meanings.
 */
function postedNotices(values: Record<string, string>): { postedNotices?: Notice[] } {
  if (values["notice:none"]) return { postedNotices: [] };
  const ticked = options(NOTICE_LABEL)
    .map(([notice]) => notice)
    .filter((notice) => values[`notice:${notice}`]);
  return ticked.length ? { postedNotices: ticked } : {};
}

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
      ...postedNotices(values),
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
        <fieldset>
          <legend>Notices on display</legend>
          <p class="hint">
            Tick what is posted; where the law requires a notice, Prep checks it. Leave all empty if you'd
            rather not say.
          </p>
          {options(NOTICE_LABEL).map(([notice, label]) => (
            <label key={notice} class="check">
              <input type="checkbox" name={`notice:${notice}`} /> {label}
            </label>
          ))}
          <label class="check">
            <input type="checkbox" name="notice:none" /> None of these is posted
          </label>
          {fieldError("/postedNotices") && <p class="field-error">{fieldError("/postedNotices")}</p>}
        </fieldset>
        <button type="submit" class="primary" disabled={submit.pending}>
          {submit.pending ? "Adding…" : "Add location"}
        </button>
      </form>
    </>
  );
}
