/**
 * Location groups (a region, a brand) and their member locations. Call inside `withTenant`.
 */
import { asc, eq } from "drizzle-orm";
import type { Tx } from "./client";
import { newId } from "./ids";
import { locationGroupMembers, locationGroups } from "./schema";

export type GroupKind = (typeof locationGroups.$inferSelect)["kind"];

export interface LocationGroup {
  id: string;
  name: string;
  kind: GroupKind;
  facilityIds: string[];
  createdAt: string;
}

export async function listGroups(tx: Tx): Promise<LocationGroup[]> {
  const [groups, members] = await Promise.all([
    tx.select().from(locationGroups).orderBy(asc(locationGroups.kind), asc(locationGroups.name)),
    tx.select().from(locationGroupMembers),
  ]);
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    kind: g.kind,
    createdAt: g.createdAt,
    facilityIds: members
      .filter((m) => m.groupId === g.id)
      .map((m) => m.facilityId)
      .sort(),
  }));
}

export async function findGroup(tx: Tx, id: string): Promise<LocationGroup | null> {
  return (await listGroups(tx)).find((g) => g.id === id) ?? null;
}

export async function insertGroup(
  tx: Tx,
  tenantId: string,
  input: { name: string; kind: GroupKind },
): Promise<string> {
  const id = newId("grp");
  await tx.insert(locationGroups).values({ id, tenantId, ...input });
  return id;
}

export async function renameGroup(tx: Tx, id: string, name: string): Promise<boolean> {
  const rows = await tx
    .update(locationGroups)
    .set({ name })
    .where(eq(locationGroups.id, id))
    .returning({ id: locationGroups.id });
  return rows.length > 0;
}

/** Replaces a group's members; the ids must be checked with `unknownIds` first. */
export async function setGroupMembers(
  tx: Tx,
  tenantId: string,
  groupId: string,
  facilityIds: readonly string[],
): Promise<void> {
  await tx.delete(locationGroupMembers).where(eq(locationGroupMembers.groupId, groupId));
  const unique = [...new Set(facilityIds)];
  if (unique.length > 0)
    await tx
      .insert(locationGroupMembers)
      .values(unique.map((facilityId) => ({ tenantId, groupId, facilityId })));
}

export async function deleteGroup(tx: Tx, id: string): Promise<boolean> {
  const rows = await tx
    .delete(locationGroups)
    .where(eq(locationGroups.id, id))
    .returning({ id: locationGroups.id });
  return rows.length > 0;
}
