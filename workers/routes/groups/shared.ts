/**
 * What the group routes that write share: a duplicate name (per kind) is a 409.
 */
import { isUniqueViolation } from "../../../db/errors";
import { Problem } from "../../http/problem";

/** Runs `work`, turning a duplicate name into a 409. */
export async function uniqueName<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new Problem({
        status: 409,
        code: "group_name_taken",
        title: "Conflict",
        detail: "A group of this kind with this name exists. Pick another name.",
      });
    }
    throw error;
  }
}
