/**
 * Group commit for check recording, on the Worker side. Checks that one isolate runs at the
 * same time for the same meter shard travel in one RPC and commit in one SQLite transaction:
 * while a batch is in flight, newcomers queue; when it lands, the first of them sends all
 * that queued meanwhile. A lone check goes at once, so an idle tenant pays no extra latency;
 * a busy one pays one RPC and one commit per batch instead of per check. Each check still
 * gets its own outcome (recorded, replayed or conflict), committed before its response.
 *
 * A batch is sent from the request of one of its own checks (the leader), which awaits it
 * anyway. The other requests' promises are settled from the leader's request; workerd runs
 * their continuations in their own requests (`handle_cross_request_promise_resolution`).
 * The leader's request is kept alive until it has handed the queue on (`waitUntil`), so a
 * client that disconnects mid-flight cannot strand the checks queued behind it.
 */
import type { RecordCheckInput, RecordCheckOutcome } from "./contract";

/** Checks per RPC at most; each carries its verdict's JSON (a few kB). */
export const MAX_BATCH = 64;

/** Sends a batch to its shard; answers one outcome per input, in order. */
export type SendBatch = (inputs: RecordCheckInput[]) => Promise<RecordCheckOutcome[]>;
/** Keeps the calling request alive until `work` settles (ExecutionContext.waitUntil). */
export type KeepAlive = (work: Promise<unknown>) => void;

/** What a queued check is woken with: its outcome, its batch's failure, or its turn to lead. */
type Wake =
  | { kind: "done"; outcome: RecordCheckOutcome }
  | { kind: "failed"; error: unknown }
  | { kind: "lead" };

class Ticket {
  readonly woken: Promise<Wake>;
  wake: (wake: Wake) => void = () => {};

  constructor(readonly input: RecordCheckInput) {
    this.woken = new Promise((resolve) => {
      this.wake = resolve;
    });
  }
}

export class CheckBatcher {
  private readonly queue: Ticket[] = [];
  /** A batch is in flight, or a queued check has been told to lead the next one. */
  private busy = false;

  async record(input: RecordCheckInput, send: SendBatch, keepAlive: KeepAlive): Promise<RecordCheckOutcome> {
    const ticket = new Ticket(input);
    this.queue.push(ticket);
    if (this.busy) {
      const wake = await ticket.woken;
      if (wake.kind === "done") return wake.outcome;
      if (wake.kind === "failed") throw wake.error;
    }
    this.busy = true;
    const sent = this.lead(ticket, send);
    keepAlive(sent.catch(() => undefined));
    return sent;
  }

  /** Sends the queue's head (the leader first), settles every ticket, hands the queue on. */
  private async lead(leader: Ticket, send: SendBatch): Promise<RecordCheckOutcome> {
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
      const outcomes = await send(batch.map((ticket) => ticket.input));
      if (outcomes.length !== batch.length)
        throw new Error(`meter shard answered ${outcomes.length} outcomes for ${batch.length} checks`);
      let own: RecordCheckOutcome | undefined;
      batch.forEach((ticket, index) => {
        const outcome = outcomes[index] as RecordCheckOutcome;
        if (ticket === leader) own = outcome;
        else ticket.wake({ kind: "done", outcome });
      });
      return own as RecordCheckOutcome;
    } catch (error) {
      for (const ticket of batch) if (ticket !== leader) ticket.wake({ kind: "failed", error });
      throw error;
    } finally {
      const next = this.queue[0];
      if (next) next.wake({ kind: "lead" });
      else this.busy = false;
    }
  }
}

/** The isolate's batchers: one per meter-shard binding and shard name. */
const batchers = new WeakMap<object, Map<string, CheckBatcher>>();

export function batcherFor(namespace: object, shardName: string): CheckBatcher {
  let byName = batchers.get(namespace);
  if (!byName) {
    byName = new Map();
    batchers.set(namespace, byName);
  }
  let batcher = byName.get(shardName);
  if (!batcher) {
    batcher = new CheckBatcher();
    byName.set(shardName, batcher);
  }
  return batcher;
}
