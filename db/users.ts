/**
 * Users of the web app: sign-in lookup, each request's access (role and, for managers, the
 * locations they may touch), and the team list. Call the `tx` functions inside `withTenant`.
 */
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Database, Tx } from "./client";
import { newId } from "./ids";
import { facilities, locationGroups, userLocationGroups, userLocations, users } from "./schema";

export type UserRole = (typeof users.$inferSelect)["role"];

export interface SignInCandidate {
  id: string;
  tenantId: string;
  passwordHash: string | null;
}

/** Finds a user by email across tenants, through the one SECURITY DEFINER door. */
export async function findUserForSignIn(db: Database, email: string): Promise<SignInCandidate | null> {
  const result = await db.execute(sql`SELECT * FROM prep_find_user_by_email(${email})`);
  const row = result.rows[0] as { id: string; tenant_id: string; password_hash: string | null } | undefined;
  return row ? { id: row.id, tenantId: row.tenant_id, passwordHash: row.password_hash } : null;
}

export interface UserAccess {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  /** The locations a manager may touch (assigned directly or through a group); null = all. */
  facilityIds: string[] | null;
}

export async function loadUserAccess(tx: Tx, userId: string): Promise<UserAccess | null> {
  const [user] = await tx.select().from(users).where(eq(users.id, userId));
  if (!user) return null;
  const access = { id: user.id, email: user.email, name: user.name, role: user.role, facilityIds: null };
  if (user.role !== "manager") return access;
  const rows = await tx.execute(sql`
    SELECT facility_id FROM user_locations WHERE user_id = ${userId}
    UNION
    SELECT m.facility_id FROM location_group_members m
      JOIN user_location_groups g ON g.group_id = m.group_id
      WHERE g.user_id = ${userId}`);
  return {
    ...access,
    facilityIds: (rows.rows as { facility_id: string }[]).map((r) => r.facility_id).sort(),
  };
}

export interface TeamMember {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  createdAt: string;
  /** Locations and groups assigned to a manager (empty for other roles). */
  facilityIds: string[];
  groupIds: string[];
}

export async function listUsers(tx: Tx): Promise<TeamMember[]> {
  const [rows, locations, groups] = await Promise.all([
    tx.select().from(users).orderBy(asc(users.createdAt), asc(users.id)),
    tx.select().from(userLocations),
    tx.select().from(userLocationGroups),
  ]);
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    createdAt: u.createdAt,
    facilityIds: locations
      .filter((l) => l.userId === u.id)
      .map((l) => l.facilityId)
      .sort(),
    groupIds: groups
      .filter((g) => g.userId === u.id)
      .map((g) => g.groupId)
      .sort(),
  }));
}

export async function findTeamMember(tx: Tx, userId: string): Promise<TeamMember | null> {
  return (await listUsers(tx)).find((u) => u.id === userId) ?? null;
}

export async function insertUser(
  tx: Tx,
  input: { tenantId: string; email: string; name: string | null; passwordHash: string; role: UserRole },
): Promise<string> {
  const id = newId("usr");
  await tx.insert(users).values({ id, ...input });
  return id;
}

/** Ids among `ids` that are not this tenant's (row-level security hides other tenants' rows). */
export async function unknownIds(
  tx: Tx,
  kind: "facility" | "group",
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const table = kind === "facility" ? facilities : locationGroups;
  const found = await tx
    .select({ id: table.id })
    .from(table)
    .where(inArray(table.id, [...ids]));
  const known = new Set(found.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

/** Replaces a user's assigned locations and groups; the ids must be checked with `unknownIds` first. */
export async function setAssignments(
  tx: Tx,
  tenantId: string,
  userId: string,
  assigned: { facilityIds: readonly string[]; groupIds: readonly string[] },
): Promise<void> {
  await tx.delete(userLocations).where(eq(userLocations.userId, userId));
  await tx.delete(userLocationGroups).where(eq(userLocationGroups.userId, userId));
  const facilityIds = [...new Set(assigned.facilityIds)];
  const groupIds = [...new Set(assigned.groupIds)];
  if (facilityIds.length > 0)
    await tx
      .insert(userLocations)
      .values(facilityIds.map((facilityId) => ({ tenantId, userId, facilityId })));
  if (groupIds.length > 0)
    await tx.insert(userLocationGroups).values(groupIds.map((groupId) => ({ tenantId, userId, groupId })));
}

export async function setUserRole(tx: Tx, userId: string, role: UserRole): Promise<void> {
  await tx.update(users).set({ role }).where(eq(users.id, userId));
}

export async function deleteUser(tx: Tx, userId: string): Promise<boolean> {
  const deleted = await tx.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
  return deleted.length > 0;
}

/** The user's email and password hash, for a password change. */
export async function loadCredentials(
  tx: Tx,
  userId: string,
): Promise<{ email: string; passwordHash: string | null } | null> {
  const [row] = await tx
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

export async function setPasswordHash(tx: Tx, userId: string, passwordHash: string): Promise<void> {
  await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
}
