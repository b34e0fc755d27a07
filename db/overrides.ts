/**
 * Manual overrides: created by one platform admin, in force only after a different admin
 * approves them, until their expiry. Every step is written to the platform audit log in the
 * same transaction. How they change rules is compliance/overrides.ts.
 */

import { and, desc, eq } from "drizzle-orm";
import type { Override } from "../compliance";
import { asPlatform, type Database } from "./client";
import { newId } from "./ids";
import { recordPlatformAudit } from "./platform-audit";
import { datasetOverrides } from "./schema";

export type OverrideStatus = "pending" | "approved" | "rejected" | "revoked";

export interface OverrideRow extends Override {
  jurisdiction: string;
  status: OverrideStatus;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface NewOverride {
  jurisdiction: string;
  action: "replace" | "add";
  ruleId: string;
  rule: Record<string, unknown>;
  reason: string;
  effectiveFrom: string;
  expiresAt: string;
}

const toRow = (row: typeof datasetOverrides.$inferSelect): OverrideRow => ({
  ...row,
  rule: row.rule as Record<string, unknown>,
});

export async function createOverride(db: Database, input: NewOverride, actor: string): Promise<OverrideRow> {
  return asPlatform(db, async (tx) => {
    const [row] = await tx
      .insert(datasetOverrides)
      .values({ id: newId("ovr"), ...input, status: "pending", createdBy: actor })
      .returning();
    if (!row) throw new Error("override insert returned nothing");
    await recordPlatformAudit(tx, {
      actor,
      action: "override.created",
      target: row.id,
      detail: {
        jurisdiction: input.jurisdiction,
        ruleId: input.ruleId,
        action: input.action,
        reason: input.reason,
        expiresAt: input.expiresAt,
      },
    });
    return toRow(row);
  });
}

export type Decision = "approve" | "reject" | "revoke";

export type DecideResult =
  | { ok: true; override: OverrideRow }
  | { ok: false; reason: "not_found" | "self_approval" | "wrong_status"; status?: OverrideStatus };

/** Which status a decision needs and leads to. */
const TRANSITIONS: Record<Decision, { from: OverrideStatus; to: OverrideStatus }> = {
  approve: { from: "pending", to: "approved" },
  reject: { from: "pending", to: "rejected" },
  revoke: { from: "approved", to: "revoked" },
};

export async function decideOverride(
  db: Database,
  id: string,
  decision: Decision,
  actor: string,
): Promise<DecideResult> {
  return asPlatform(db, async (tx) => {
    const [current] = await tx
      .select()
      .from(datasetOverrides)
      .where(eq(datasetOverrides.id, id))
      .for("update");
    if (!current) return { ok: false, reason: "not_found" };
    const transition = TRANSITIONS[decision];
    if (current.status !== transition.from)
      return { ok: false, reason: "wrong_status", status: current.status };
    // Four eyes: whoever wrote the change cannot be the one who puts it in force.
    if (decision === "approve" && current.createdBy === actor) return { ok: false, reason: "self_approval" };
    const [updated] = await tx
      .update(datasetOverrides)
      .set({ status: transition.to, decidedBy: actor, decidedAt: new Date().toISOString() })
      .where(eq(datasetOverrides.id, id))
      .returning();
    if (!updated) return { ok: false, reason: "not_found" };
    await recordPlatformAudit(tx, {
      actor,
      action: `override.${transition.to}`,
      target: id,
      detail: { jurisdiction: current.jurisdiction, ruleId: current.ruleId },
    });
    return { ok: true, override: toRow(updated) };
  });
}

export async function getOverride(db: Database, id: string): Promise<OverrideRow | null> {
  const [row] = await asPlatform(db, (tx) =>
    tx.select().from(datasetOverrides).where(eq(datasetOverrides.id, id)),
  );
  return row ? toRow(row) : null;
}

export async function listOverrides(
  db: Database,
  filter: { jurisdiction?: string | undefined; status?: OverrideStatus | undefined } = {},
): Promise<OverrideRow[]> {
  const rows = await asPlatform(db, (tx) =>
    tx
      .select()
      .from(datasetOverrides)
      .where(
        and(
          filter.jurisdiction ? eq(datasetOverrides.jurisdiction, filter.jurisdiction) : undefined,
          filter.status ? eq(datasetOverrides.status, filter.status) : undefined,
        ),
      )
      .orderBy(desc(datasetOverrides.id)),
  );
  return rows.map(toRow);
}

/**
 * Approved overrides by jurisdiction, expired ones included: their windows end at expiry, so
 * an evaluation at an earlier `asOf` still reproduces what was in force then.
 */
export async function loadApprovedOverrides(db: Database): Promise<Map<string, OverrideRow[]>> {
  const byJurisdiction = new Map<string, OverrideRow[]>();
  for (const row of await listOverrides(db, { status: "approved" })) {
    const list = byJurisdiction.get(row.jurisdiction) ?? [];
    list.push(row);
    byJurisdiction.set(row.jurisdiction, list);
  }
  return byJurisdiction;
}
