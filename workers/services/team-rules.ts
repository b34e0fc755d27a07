/**
 * Who may change whom in a team: nobody changes their own role or removes themselves (so a
 * team always keeps an owner), only owners make, change or remove owners, and assigned ids
 * must be the tenant's own.
 */
import type { Tx } from "../../db/client";
import { unknownIds } from "../../db/users";
import { type FieldError, Problem, validationFailed } from "../http/problem";
import type { Principal } from "../middleware/auth";
import type { Role } from "./roles";

export function assertMayManage(
  principal: Principal,
  target: { id: string; role: Role },
  newRole?: Role,
): void {
  if (target.id === principal.userId) {
    throw new Problem({
      status: 409,
      code: "cannot_change_self",
      title: "Conflict",
      detail: "You cannot change your own role or remove yourself. Ask another owner or admin.",
    });
  }
  if ((target.role === "owner" || newRole === "owner") && principal.role !== "owner") {
    throw new Problem({
      status: 403,
      code: "owner_only",
      title: "Forbidden",
      detail: "Only an owner can make, change or remove owners.",
    });
  }
}

/** 422 with a pointer per unknown id (another tenant's ids are unknown too). */
export async function assertKnownAssignments(
  tx: Tx,
  assigned: { facilityIds?: readonly string[]; groupIds?: readonly string[] },
): Promise<void> {
  const errors: FieldError[] = [];
  for (const [field, kind] of [
    ["facilityIds", "facility"],
    ["groupIds", "group"],
  ] as const) {
    const ids = assigned[field] ?? [];
    const unknown = new Set(await unknownIds(tx, kind, ids));
    ids.forEach((id, i) => {
      if (unknown.has(id))
        errors.push({
          pointer: `/${field}/${i}`,
          detail: `no such ${kind === "facility" ? "location" : "group"}`,
        });
    });
  }
  if (errors.length > 0) throw validationFailed(errors);
}
