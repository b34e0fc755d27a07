/**
 * Schemas of the signed-in user's own account.
 */
import * as v from "valibot";
import { PasswordSchema } from "../auth/schemas";

export const ChangePasswordSchema = v.object({
  currentPassword: v.pipe(v.string(), v.minLength(1, "must not be empty"), v.maxLength(256)),
  newPassword: PasswordSchema,
});
