/**
 * SMS opt-outs per phone number (`sms_opt_outs`, ADR 0021): STOP and START as texted to
 * Prep's number. Call inside `asPlatform`.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "./client";
import { smsOptOuts } from "./schema";

/** True when the number replied STOP (or Twilio said 21610) and not START since. */
export async function isOptedOut(tx: Tx, phone: string): Promise<boolean> {
  const rows = await tx
    .select({ optedOut: smsOptOuts.optedOut })
    .from(smsOptOuts)
    .where(sql`${smsOptOuts.phone} = ${phone}`);
  return rows[0]?.optedOut === true;
}

export async function recordOptOut(tx: Tx, phone: string, optedOut: boolean, source: string): Promise<void> {
  await tx
    .insert(smsOptOuts)
    .values({ phone, optedOut, source: source.slice(0, 40) })
    .onConflictDoUpdate({
      target: smsOptOuts.phone,
      set: { optedOut, source: source.slice(0, 40), updatedAt: sql`now()` },
    });
}
