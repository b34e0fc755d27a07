/**
 * Sign-ups waiting for their email to be verified (pending_signups). Nothing exists for
 * them yet, so they block nobody: several may name one address, the first verified wins,
 * and each lapses after 24 hours. The Worker reaches the table only through two SECURITY
 * DEFINER functions (db/migrations/…_accounts_security_grants.sql).
 */
import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { newId } from "./ids";
import { hashToken } from "./invites";

export const SIGNUP_HOURS = 24;

export interface PendingSignup {
  email: string;
  companyName: string;
  name: string | null;
  passwordHash: string;
}

/** Stores the sign-up and returns the token for its verification link. */
export async function startSignup(db: Database, input: PendingSignup): Promise<string> {
  const token = `${crypto.randomUUID().replaceAll("-", "")}${crypto.randomUUID().replaceAll("-", "")}`;
  const expiresAt = new Date(Date.now() + SIGNUP_HOURS * 3_600_000).toISOString();
  await db.execute(
    sql`SELECT prep_start_signup(${newId("sgn")}, ${input.email}, ${input.companyName}, ${input.name},
      ${input.passwordHash}, ${await hashToken(token)}, ${expiresAt}::timestamptz)`,
  );
  return token;
}

/** Takes (deletes) the sign-up a token names; null when unknown, used or expired. */
export async function takeSignup(db: Database, token: string): Promise<PendingSignup | null> {
  const result = await db.execute(sql`SELECT * FROM prep_take_signup(${await hashToken(token)})`);
  const row = result.rows[0] as
    | { email: string; company_name: string; name: string | null; password_hash: string }
    | undefined;
  return row
    ? { email: row.email, companyName: row.company_name, name: row.name, passwordHash: row.password_hash }
    : null;
}
