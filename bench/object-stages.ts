// The stages of bench/object.ts, shared with the bench Worker that runs them
// (bench/http-worker.ts, the workerd bundle's entry, which Node cannot import).

/**
 * How much of a metered check's work an RPC of bench/object.ts does, each stage adding one
 * step of `TenantObject.recordCheck` to the one before, in its order, through the real ledger:
 * - `none`: no RPC at all (the Worker's loop, the check's bytes; the baseline of the Worker);
 * - `rpc`: an RPC that does nothing;
 * - `deflate`: + packing the record (`Ledger.pack`: deflate against the dictionary);
 * - `row`: + the ledger row's insert, in a transaction (`Ledger.insertRow`);
 * - `bytes`: + the ledger's byte counter (`Ledger.addBytes`: the storage budget);
 * - `hourly`: + the hourly meter per state (`Ledger.countCheck`);
 * - `outbox`: + the outbox row (`Ledger.enqueue`) — every statement of a recording;
 * - `record`: the real `recordCheck` (adds the tenant claim, the flush job, the record kept in
 *   memory for the flush, the metric), its flush held;
 * - `drained`: the real `recordCheck` with its flush running, delivering nowhere (the outbox
 *   read back, the records decoded, the delivered rows deleted, the alarm);
 * - `framed`: + the batch framed as the one JSON array the INSERT sends (`jsonArrayOf`);
 * - `connected`: instead of framing, a connection and a transaction per batch (the tenant's
 *   `withTenant` around `SELECT 1`): the round trips without the payload;
 * - `sent`: + the framed batch sent as the INSERT's parameter, which Postgres only measures
 *   (`octet_length`): the payload's way through the driver and the socket, no rows stored;
 * - `metered`: the real `recordCheck` with the flush to Postgres running (bench/object.ts
 *   waits for delivery inside the round's CPU).
 */
export const STAGES = [
  "none",
  "rpc",
  "deflate",
  "row",
  "bytes",
  "hourly",
  "outbox",
  "record",
  "drained",
  "framed",
  "connected",
  "sent",
  "metered",
] as const;
export type Stage = (typeof STAGES)[number];
/** The stages whose flush runs but does not store the checks in Postgres. */
export const FLUSH_STAGES = ["drained", "framed", "connected", "sent"] as const;
export type FlushStage = (typeof FLUSH_STAGES)[number];
export const isFlushStage = (stage: Stage): stage is FlushStage =>
  (FLUSH_STAGES as readonly Stage[]).includes(stage);
