/**
 * Invitations to join a tenant. The token appears once, in the invite link; only its
 * SHA-256 is stored. Accepting happens before the tenant is known, through the
 * `prep_find_invite` SECURITY DEFINER function.
 */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database, Tx } from "./client";
import { newId } from "./ids";
import { invites } from "./schema";
import type { UserRole } from "./users";

const INVITE_DAYS = 7;

export interface Invite {
  id: string;
  email: string;
  role: UserRole;
  facilityIds: string[];
  groupIds: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
}

type InviteRow = typeof invites.$inferSelect;
const toInvite = ({ tokenHash: _hash, tenantId: _tenant, ...rest }: InviteRow): Invite => rest;

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function createInvite(
  tx: Tx,
  input: {
    tenantId: string;
    email: string;
    role: UserRole;
    facilityIds: string[];
    groupIds: string[];
    createdBy: string;
  },
): Promise<{ invite: Invite; token: string }> {
  const token = `${crypto.randomUUID().replaceAll("-", "")}${crypto.randomUUID().replaceAll("-", "")}`;
  const expiresAt = new Date(Date.now() + INVITE_DAYS * 86_400_000).toISOString();
  const [row] = await tx
    .insert(invites)
    .values({ id: newId("inv"), ...input, tokenHash: await hashToken(token), expiresAt })
    .returning();
  if (!row) throw new Error("invite insert returned nothing");
  return { invite: toInvite(row), token };
}

/** Invites not yet accepted, newest first (expired ones included: the list says so). */
export async function listPendingInvites(tx: Tx): Promise<Invite[]> {
  const rows = await tx
    .select()
    .from(invites)
    .where(isNull(invites.acceptedAt))
    .orderBy(desc(invites.createdAt));
  return rows.map(toInvite);
}

export async function deleteInvite(tx: Tx, id: string): Promise<boolean> {
  const rows = await tx
    .delete(invites)
    .where(and(eq(invites.id, id), isNull(invites.acceptedAt)))
    .returning({ id: invites.id });
  return rows.length > 0;
}

/** Which tenant an invite token belongs to, before any tenant is known. */
export async function findInviteTenant(
  db: Database,
  token: string,
): Promise<{ id: string; tenantId: string } | null> {
  const result = await db.execute(sql`SELECT * FROM prep_find_invite(${await hashToken(token)})`);
  const row = result.rows[0] as { id: string; tenant_id: string } | undefined;
  return row ? { id: row.id, tenantId: row.tenant_id } : null;
}

export async function loadInvite(tx: Tx, id: string): Promise<Invite | null> {
  const [row] = await tx.select().from(invites).where(eq(invites.id, id));
  return row ? toInvite(row) : null;
}

/** Marks an invite used; false when it was accepted meanwhile (two tabs, one link). */
export async function markInviteAccepted(tx: Tx, id: string): Promise<boolean> {
  const rows = await tx
    .update(invites)
    .set({ acceptedAt: sql`now()` })
    .where(and(eq(invites.id, id), isNull(invites.acceptedAt)))
    .returning({ id: invites.id });
  return rows.length > 0;
}
