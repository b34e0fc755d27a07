// Masks stand in for lists of roles and credential types in every staff rule: each value needs a
// bit of its own, or a rule for managers would also select (say) owners, and an exemption for a
// manager certificate would also exempt a food handler card.
import { describe, expect, it } from "vitest";
import { CREDENTIAL_TYPES, STAFF_ROLES } from "../schema/facility";
import { credentialBit, credentialMask, roleBit, roleMask } from "./bits";

const kinds = [
  { name: "staff roles", values: STAFF_ROLES, bit: roleBit, mask: roleMask },
  { name: "credential types", values: CREDENTIAL_TYPES, bit: credentialBit, mask: credentialMask },
] as {
  name: string;
  values: readonly string[];
  bit: (value: string) => number;
  mask: (values: readonly string[]) => number;
}[];

describe.each(kinds)("$name as bits", ({ values, bit, mask }) => {
  it("give every value its own single bit", () => {
    const bits = values.map(bit);
    expect(new Set(bits).size).toBe(values.length);
    for (const b of bits) expect(b > 0 && (b & (b - 1)) === 0).toBe(true);
  });

  it("select exactly the values a rule lists", () => {
    const listed = [values[1], values[2]] as string[];
    const m = mask(listed);
    expect(values.filter((value) => (m & bit(value)) !== 0)).toEqual(listed);
    expect(mask([])).toBe(0);
  });
});
