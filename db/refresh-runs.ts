/**
 * Refresh runs and their per-dataset attempts: the record of every refresh, good or bad, so
 * a failure is visible (and retried) while the active version stays untouched.
 */
import { asc, eq } from "drizzle-orm";
import { asPlatform, type Database } from "./client";
import { newId } from "./ids";
import { recordPlatformAudit } from "./platform-audit";
import { refreshAttempts, refreshRuns } from "./schema";

export type RunTrigger = "cron" | "retry" | "cli" | "admin";
export type AttemptOutcome = "created" | "pending_review" | "unchanged" | "failed";

export interface AttemptRecord {
  jurisdiction: string;
  outcome: AttemptOutcome;
  errorCode?: string | undefined;
  detail?: string | undefined;
  versionId?: string | undefined;
  contentHash?: string | undefined;
  nextAttemptAt?: string | undefined;
  diff?: unknown;
}

/**
 * Opens a run, recording who or what started it (`startedBy`: an admin id, "cron", "cli"), with
 * its platform audit entry in the same transaction.
 */
export async function startRun(
  db: Database,
  trigger: RunTrigger,
  startedBy: string,
  jurisdictions?: readonly string[],
): Promise<string> {
  const id = newId("run");
  await asPlatform(db, async (tx) => {
    await tx.insert(refreshRuns).values({ id, trigger, startedBy, status: "running" });
    await recordPlatformAudit(tx, {
      actor: startedBy,
      action: "refresh.started",
      target: id,
      detail: { trigger, jurisdictions: jurisdictions ? [...jurisdictions] : "all" },
    });
  });
  return id;
}

export async function recordAttempt(db: Database, runId: string, attempt: AttemptRecord): Promise<void> {
  await asPlatform(db, (tx) =>
    tx.insert(refreshAttempts).values({
      id: newId("rat"),
      runId,
      jurisdiction: attempt.jurisdiction,
      outcome: attempt.outcome,
      errorCode: attempt.errorCode ?? null,
      detail: attempt.detail ?? null,
      versionId: attempt.versionId ?? null,
      contentHash: attempt.contentHash ?? null,
      nextAttemptAt: attempt.nextAttemptAt ?? null,
      diff: attempt.diff ?? null,
    }),
  );
}

export async function finishRun(
  db: Database,
  runId: string,
  status: "succeeded" | "partial" | "failed",
  report: unknown,
): Promise<void> {
  await asPlatform(db, (tx) =>
    tx
      .update(refreshRuns)
      .set({ status, report, finishedAt: new Date().toISOString() })
      .where(eq(refreshRuns.id, runId)),
  );
}

export async function getRun(db: Database, runId: string) {
  return asPlatform(db, async (tx) => {
    const [run] = await tx.select().from(refreshRuns).where(eq(refreshRuns.id, runId));
    if (!run) return null;
    const attempts = await tx
      .select()
      .from(refreshAttempts)
      .where(eq(refreshAttempts.runId, runId))
      .orderBy(asc(refreshAttempts.id));
    return { ...run, attempts };
  });
}
