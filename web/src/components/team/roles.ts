/**
 * One line per role, for the invite and role pickers (the API's roles.ts is the rule).
 */
import type { Role } from "../../api/types";

export const ROLE_HELP: Record<Role, string> = {
  owner: "everything, including owners",
  admin: "everything but owners",
  manager: "checks and edits at assigned locations",
  viewer: "read only",
};
