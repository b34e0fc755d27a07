// Small pieces of English shared by every message the engine writes: lists, articles and the
// readable names of enum values. Messages are the product's explanation, so they read as prose.
import type { FacilityType, StaffRole } from "./schema/facility";

/** An enum value as words: "food_employee" → "food employee". */
export const enumLabel = (value: string): string => value.replaceAll("_", " ");

export const roleLabel = (role: StaffRole): string => enumLabel(role);

/** "a", "a or b", "a, b or c". */
export function orList(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

/** "an owner", "a manager": the indefinite article the phrase's first sound takes. */
export const withArticle = (phrase: string): string => `${/^[aeiou]/i.test(phrase) ? "an" : "a"} ${phrase}`;

const FACILITY_TYPE_PLURALS: Record<FacilityType, string> = {
  restaurant: "restaurants",
  shared_kitchen: "shared kitchens",
  commissary: "commissaries",
  ghost_kitchen: "ghost kitchens",
  mobile_food_facility: "mobile food facilities",
  caterer: "caterers",
  institutional_kitchen: "institutional kitchens",
};

/** "mobile_food_facility" → "mobile food facility"; `plural` → "mobile food facilities". */
export const facilityTypeLabel = (type: FacilityType, plural = false): string =>
  plural ? FACILITY_TYPE_PLURALS[type] : enumLabel(type);
