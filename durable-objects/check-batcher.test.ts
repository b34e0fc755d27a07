// The isolate's group commit: a lone check goes at once, checks that arrive while a batch is
// in flight share the next RPC, each caller gets its own outcome, and a failed batch neither
// loses its callers' errors nor strands the checks queued behind it.
import { describe, expect, it } from "vitest";
import { CheckBatcher, MAX_BATCH, type SendBatch } from "./check-batcher";
import type { RecordCheckInput, RecordCheckOutcome } from "./contract";

const input = (id: string): RecordCheckInput => ({
  check: { id, tenantId: "ten_1", state: "CA", json: `{"id":"${id}"}` },
});

/** A shard whose batches the test answers by hand, in the order they were sent. */
function controlledShard() {
  const sent: { ids: string[]; answer: (outcomes: RecordCheckOutcome[] | Error) => void }[] = [];
  const send: SendBatch = (inputs) =>
    new Promise((resolve, reject) => {
      sent.push({
        ids: inputs.map((each) => each.check.id),
        answer: (outcomes) => (outcomes instanceof Error ? reject(outcomes) : resolve(outcomes)),
      });
    });
  return { sent, send };
}

const recorded = (n: number): RecordCheckOutcome[] => Array.from({ length: n }, () => ({ kind: "recorded" }));
const noKeepAlive = () => {};
/** Lets queued promise continuations run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("CheckBatcher", () => {
  it("sends a lone check at once, by itself", async () => {
    const batcher = new CheckBatcher();
    const shard = controlledShard();
    const outcome = batcher.record(input("a"), shard.send, noKeepAlive);
    expect(shard.sent.map((batch) => batch.ids)).toEqual([["a"]]);
    shard.sent[0]?.answer(recorded(1));
    expect(await outcome).toEqual({ kind: "recorded" });
  });

  it("sends the checks that arrived during a flight together, each with its own outcome", async () => {
    const batcher = new CheckBatcher();
    const shard = controlledShard();
    const first = batcher.record(input("a"), shard.send, noKeepAlive);
    const later = ["b", "c", "d"].map((id) => batcher.record(input(id), shard.send, noKeepAlive));
    expect(shard.sent).toHaveLength(1);

    shard.sent[0]?.answer(recorded(1));
    await settle();
    expect(shard.sent.map((batch) => batch.ids)).toEqual([["a"], ["b", "c", "d"]]);
    shard.sent[1]?.answer([{ kind: "recorded" }, { kind: "idempotency_conflict" }, { kind: "recorded" }]);

    expect(await first).toEqual({ kind: "recorded" });
    expect(await Promise.all(later)).toEqual([
      { kind: "recorded" },
      { kind: "idempotency_conflict" },
      { kind: "recorded" },
    ]);
  });

  it(`caps a batch at ${MAX_BATCH} checks and sends the rest next`, async () => {
    const batcher = new CheckBatcher();
    const shard = controlledShard();
    const all = [batcher.record(input("first"), shard.send, noKeepAlive)];
    for (let i = 0; i < MAX_BATCH + 10; i++)
      all.push(batcher.record(input(`c${i}`), shard.send, noKeepAlive));
    shard.sent[0]?.answer(recorded(1));
    await settle();
    expect(shard.sent[1]?.ids).toHaveLength(MAX_BATCH);
    shard.sent[1]?.answer(recorded(MAX_BATCH));
    await settle();
    expect(shard.sent[2]?.ids).toHaveLength(10);
    shard.sent[2]?.answer(recorded(10));
    expect(await Promise.all(all)).toHaveLength(MAX_BATCH + 11);
  });

  it("fails every check of a failed batch, then goes on with the next", async () => {
    const batcher = new CheckBatcher();
    const shard = controlledShard();
    const first = batcher.record(input("a"), shard.send, noKeepAlive);
    const inFailedBatch = [
      batcher.record(input("b"), shard.send, noKeepAlive),
      batcher.record(input("c"), shard.send, noKeepAlive),
    ];
    shard.sent[0]?.answer(recorded(1));
    await settle();
    const afterFailure = batcher.record(input("d"), shard.send, noKeepAlive);
    shard.sent[1]?.answer(new Error("shard unreachable"));
    for (const outcome of inFailedBatch) await expect(outcome).rejects.toThrow("shard unreachable");

    await settle();
    expect(shard.sent.map((batch) => batch.ids)).toEqual([["a"], ["b", "c"], ["d"]]);
    shard.sent[2]?.answer(recorded(1));
    expect(await afterFailure).toEqual({ kind: "recorded" });
    expect(await first).toEqual({ kind: "recorded" });
  });

  it("refuses an answer that does not carry one outcome per check", async () => {
    const batcher = new CheckBatcher();
    const shard = controlledShard();
    const outcome = batcher.record(input("a"), shard.send, noKeepAlive);
    shard.sent[0]?.answer(recorded(2));
    await expect(outcome).rejects.toThrow("2 outcomes for 1 checks");
  });

  it("keeps the leading request alive until its batch is settled", async () => {
    const batcher = new CheckBatcher();
    const shard = controlledShard();
    const kept: Promise<unknown>[] = [];
    const outcome = batcher.record(input("a"), shard.send, (work) => kept.push(work));
    expect(kept).toHaveLength(1);
    let keptSettled = false;
    void kept[0]?.then(() => {
      keptSettled = true;
    });
    await settle();
    expect(keptSettled).toBe(false);
    shard.sent[0]?.answer(recorded(1));
    await outcome;
    await settle();
    expect(keptSettled).toBe(true);
  });
});
