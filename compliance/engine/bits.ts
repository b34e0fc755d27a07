// Staff roles and credential types as bits: the preparation gives each staff member its role's
// bit and each credential its type's bit once, and a rule compiles its list of roles or types into
// a mask, so "is this person in scope" or "is this one of the exempting credentials" is one AND
// per person or credential instead of a Set lookup or an `includes` call (a few percent of a
// verdict; docs/performance.md, "Fifth sitting").
import type { CredentialType, StaffRole } from "../schema/facility";

// Spelled out as switches, not derived from the schema's STAFF_ROLES and CREDENTIAL_TYPES: a
// table built from those lists and indexed by the value cost 2.4k more instructions per verdict
// (44.56k against 42.16k), more than half of what the bits save. bits.test.ts checks that every
// value of those lists has a bit of its own, so a value added there without a case fails it.

export function roleBit(role: StaffRole): number {
  switch (role) {
    case "food_employee":
      return 1;
    case "manager":
      return 2;
    case "person_in_charge":
      return 4;
    case "owner":
      return 8;
  }
}

export function credentialBit(type: CredentialType): number {
  switch (type) {
    case "food_handler_card":
      return 1;
    case "food_protection_manager":
      return 2;
    case "allergen_awareness":
      return 4;
    case "local_manager_certificate":
      return 8;
  }
}

export function roleMask(roles: readonly StaffRole[]): number {
  let mask = 0;
  for (const role of roles) mask |= roleBit(role);
  return mask;
}

export function credentialMask(types: readonly CredentialType[]): number {
  let mask = 0;
  for (const type of types) mask |= credentialBit(type);
  return mask;
}
