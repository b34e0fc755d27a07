/**
 * Platform admins: Prep's operators, separate from every tenant. Each has one admin key
 * `prep_admin_<8 lookup chars><32 secret chars>`, shown once and stored as SHA-256 like
 * tenant keys; a tenant key can never pass for one (different prefix, different table).
 */
import { eq, sql } from "drizzle-orm";
import { hashApiKey, randomAlphanumeric, timingSafeEqualHex } from "./api-keys";
import { asPlatform, type Database } from "./client";
import { newId } from "./ids";
import { recordPlatformAudit } from "./platform-audit";
import { platformAdmins } from "./schema";

const ADMIN_KEY = /^prep_admin_[0-9A-Za-z]{40}$/;
const PREFIX_LENGTH = "prep_admin_".length + 8;

export const isAdminKeyShape = (key: string) => ADMIN_KEY.test(key);

export interface CreatedAdmin {
  adminId: string;
  email: string;
  key: string;
}

export async function createPlatformAdmin(db: Database, email: string, actor: string): Promise<CreatedAdmin> {
  const key = `prep_admin_${randomAlphanumeric(40)}`;
  const adminId = newId("adm");
  await asPlatform(db, async (tx) => {
    await tx.insert(platformAdmins).values({
      id: adminId,
      email,
      keyPrefix: key.slice(0, PREFIX_LENGTH),
      keyHash: await hashApiKey(key),
    });
    await recordPlatformAudit(tx, {
      actor,
      action: "platform_admin.created",
      target: adminId,
      detail: { email },
    });
  });
  return { adminId, email, key };
}

/** The admin a key belongs to, or null (unknown, wrong secret or revoked). */
export async function verifyAdminKey(
  db: Database,
  key: string,
): Promise<{ adminId: string; email: string } | null> {
  if (!isAdminKeyShape(key)) return null;
  const [row] = await asPlatform(db, (tx) =>
    tx
      .select({
        id: platformAdmins.id,
        email: platformAdmins.email,
        hash: platformAdmins.keyHash,
        revokedAt: platformAdmins.revokedAt,
      })
      .from(platformAdmins)
      .where(eq(platformAdmins.keyPrefix, key.slice(0, PREFIX_LENGTH))),
  );
  if (!row || row.revokedAt !== null || !timingSafeEqualHex(row.hash, await hashApiKey(key))) return null;
  return { adminId: row.id, email: row.email };
}

export async function revokePlatformAdmin(db: Database, email: string, actor: string): Promise<boolean> {
  return asPlatform(db, async (tx) => {
    const revoked = await tx
      .update(platformAdmins)
      .set({ revokedAt: sql`now()` })
      .where(sql`lower(${platformAdmins.email}) = lower(${email}) AND ${platformAdmins.revokedAt} IS NULL`)
      .returning({ id: platformAdmins.id });
    for (const { id } of revoked)
      await recordPlatformAudit(tx, { actor, action: "platform_admin.revoked", target: id });
    return revoked.length > 0;
  });
}
