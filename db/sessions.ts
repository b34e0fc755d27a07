/**
 * Server-side web sessions (user_sessions): created at sign-in, checked on every cookie
 * request, revoked on sign-out, on a password change or reset, or by an owner or admin.
 * Call these inside `withTenant`.
 */
import { and, desc, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "./client";
import { newId } from "./ids";
import { userSessions } from "./schema";

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  userAgent: string | null;
  createdIp: string | null;
}

export async function insertSession(
  tx: Tx,
  input: {
    tenantId: string;
    userId: string;
    expiresAt: Date;
    userAgent: string | null;
    createdIp: string | null;
  },
): Promise<string> {
  const id = newId("ses");
  // Rows stay a while after they end (the owner's list, investigations), then go.
  await tx
    .delete(userSessions)
    .where(
      and(eq(userSessions.userId, input.userId), sql`${userSessions.expiresAt} < now() - interval '30 days'`),
    );
  await tx.insert(userSessions).values({
    id,
    tenantId: input.tenantId,
    userId: input.userId,
    expiresAt: input.expiresAt.toISOString(),
    userAgent: input.userAgent?.slice(0, 256) ?? null,
    createdIp: input.createdIp,
  });
  return id;
}

const active = () => and(isNull(userSessions.revokedAt), gt(userSessions.expiresAt, sql`now()`));

/** True when the session exists for this user, is not revoked and has not expired. */
export async function isSessionActive(tx: Tx, sessionId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: userSessions.id })
    .from(userSessions)
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), active()));
  return rows.length > 0;
}

/** Of `sessionIds`, the ones still active. */
export async function activeSessionIds(tx: Tx, sessionIds: readonly string[]): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await tx
    .select({ id: userSessions.id })
    .from(userSessions)
    .where(and(inArray(userSessions.id, [...sessionIds]), active()));
  return new Set(rows.map((r) => r.id));
}

/** A user's active sessions, newest first. */
export async function listActiveSessions(tx: Tx, userId: string): Promise<SessionRecord[]> {
  return tx
    .select({
      id: userSessions.id,
      userId: userSessions.userId,
      createdAt: userSessions.createdAt,
      expiresAt: userSessions.expiresAt,
      userAgent: userSessions.userAgent,
      createdIp: userSessions.createdIp,
    })
    .from(userSessions)
    .where(and(eq(userSessions.userId, userId), active()))
    .orderBy(desc(userSessions.createdAt), desc(userSessions.id));
}

/**
 * Revokes a user's active sessions — one (`only`), or all but one (`except`), or all —
 * and returns the ids it revoked.
 */
export async function revokeSessions(
  tx: Tx,
  input: { userId: string; revokedBy: string; only?: string; except?: string },
): Promise<string[]> {
  const rows = await tx
    .update(userSessions)
    .set({ revokedAt: sql`now()`, revokedBy: input.revokedBy })
    .where(
      and(
        eq(userSessions.userId, input.userId),
        active(),
        input.only ? eq(userSessions.id, input.only) : undefined,
        input.except ? ne(userSessions.id, input.except) : undefined,
      ),
    )
    .returning({ id: userSessions.id });
  return rows.map((r) => r.id);
}
