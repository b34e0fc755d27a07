/**
 * `npm start`'s web sign-in: a demo admin (owner) in the demo tenant with a generated
 * password, and a local session-signing secret. Both are kept in the data directory (.data/,
 * mode 0600) so they survive restarts; neither is ever used outside this machine.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { withTenant } from "../db/client";
import { openNodeDatabase } from "../db/local/node-database";
import { users } from "../db/schema";
import { findUserForSignIn, insertUser } from "../db/users";
import { hashPassword } from "../workers/services/passwords";

export const DEMO_ADMIN_EMAIL = "demo-admin@example.com";

export interface DemoAdmin {
  email: string;
  password: string;
}

export async function ensureDemoAdmin(
  ownerUrl: string,
  tenantId: string,
  dataDir: string,
): Promise<DemoAdmin> {
  const file = resolve(dataDir, `demo-admin-${tenantId}.json`);
  const handle = await openNodeDatabase(ownerUrl);
  try {
    const existing = await findUserForSignIn(handle.db, DEMO_ADMIN_EMAIL);
    if (existing?.tenantId === tenantId && existsSync(file))
      return JSON.parse(readFileSync(file, "utf8")) as DemoAdmin;
    const admin = { email: DEMO_ADMIN_EMAIL, password: randomBytes(12).toString("base64url") };
    const passwordHash = await hashPassword(admin.password);
    // A demo admin left from an older demo tenant, or with a lost password, is replaced. The
    // owner connection deletes it: inside withTenant, row-level security would hide another
    // tenant's user, and the insert would then collide with its email.
    await handle.db.delete(users).where(sql`lower(${users.email}) = ${DEMO_ADMIN_EMAIL}`);
    await withTenant(handle.db, tenantId, (tx) =>
      insertUser(tx, { tenantId, email: admin.email, name: "Demo Admin", passwordHash, role: "owner" }),
    );
    writeFileSync(file, JSON.stringify(admin, null, 2), { mode: 0o600 });
    return admin;
  } finally {
    await handle.close();
  }
}

/** The session-signing secret for local development, generated once. */
export function localSessionSecret(dataDir: string): string {
  const file = resolve(dataDir, "session-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}
