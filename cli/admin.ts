/**
 * `prep admin create|revoke --email` — Prep's platform operators (the admin API's users).
 * The admin key is printed once; only its SHA-256 is stored.
 */
import { createPlatformAdmin, revokePlatformAdmin } from "../db/platform-admins";
import { print, UsageError, withDatabase } from "./shared";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function adminCommand(verb: string, values: { email?: string | undefined }): Promise<void> {
  const email = values.email?.trim();
  if (!email || !EMAIL.test(email)) throw new UsageError(`admin ${verb} needs --email <address>`);
  switch (verb) {
    case "create": {
      const admin = await withDatabase((db) => createPlatformAdmin(db, email, "cli"));
      print({
        adminId: admin.adminId,
        email: admin.email,
        adminKey: admin.key,
        note: "Shown once: store it in your password manager.",
      });
      return;
    }
    case "revoke": {
      if (!(await withDatabase((db) => revokePlatformAdmin(db, email, "cli"))))
        throw new UsageError(`no active admin ${email}`);
      print({ email, revoked: true });
      return;
    }
    default:
      throw new UsageError(`unknown command "admin ${verb}"`);
  }
}
