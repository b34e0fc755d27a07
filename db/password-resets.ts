/**
 * Password-reset links: the token appears only in the emailed link; its SHA-256 is stored.
 * A link works once and for an hour. Using one happens before the tenant is known, through
 * the `prep_find_password_reset` SECURITY DEFINER function.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database, Tx } from "./client";
import { newId } from "./ids";
import { hashToken } from "./invites";
import { passwordResets, users } from "./schema";

export const RESET_MINUTES = 60;

export async function createPasswordReset(
  tx: Tx,
  input: { tenantId: string; userId: string },
): Promise<string> {
  const token = `${crypto.randomUUID().replaceAll("-", "")}${crypto.randomUUID().replaceAll("-", "")}`;
  await tx.insert(passwordResets).values({
    id: newId("pwr"),
    ...input,
    tokenHash: await hashToken(token),
    expiresAt: new Date(Date.now() + RESET_MINUTES * 60_000).toISOString(),
  });
  return token;
}

/** Which tenant a reset token belongs to, before any tenant is known. */
export async function findPasswordResetTenant(
  db: Database,
  token: string,
): Promise<{ id: string; tenantId: string } | null> {
  const result = await db.execute(sql`SELECT * FROM prep_find_password_reset(${await hashToken(token)})`);
  const row = result.rows[0] as { id: string; tenant_id: string } | undefined;
  return row ? { id: row.id, tenantId: row.tenant_id } : null;
}

/**
 * Marks the link used if it is still usable and returns its user; "used" or "expired"
 * otherwise (two tabs, one link: only one wins).
 */
export async function consumePasswordReset(
  tx: Tx,
  id: string,
): Promise<{ userId: string; email: string } | "used" | "expired"> {
  const [row] = await tx.select().from(passwordResets).where(eq(passwordResets.id, id));
  if (!row || row.usedAt) return "used";
  if (Date.parse(row.expiresAt) <= Date.now()) return "expired";
  const marked = await tx
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(and(eq(passwordResets.id, id), isNull(passwordResets.usedAt)))
    .returning({ userId: passwordResets.userId });
  if (marked.length === 0) return "used";
  const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
  return user ? { userId: row.userId, email: user.email } : "used";
}
