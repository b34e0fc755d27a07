// The stored form of a record (storage-schema.ts, migration 3) read back to the exact text:
// rows written by hand in that form — legacy JSON text, raw deflate with and without a
// preset dictionary, parts — so a change to RecordStore that would misread existing objects'
// data fails here, whatever it writes itself.

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Buffer } from "node:buffer";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { RECORD_PART_BYTES, RecordStore } from "./record-store";

/** A fresh object's SQLite (migrated by its constructor); no tenant or Postgres needed. */
function withStorage<T>(work: (sql: SqlStorage) => T): Promise<T> {
  const stub = env.TENANT.get(env.TENANT.idFromName(`record-store:${crypto.randomUUID()}`));
  return runInDurableObject(stub, (_instance, state) => work(state.storage.sql));
}

/** The bytes as a BLOB binding: a copy in an ArrayBuffer of their own. */
const blob = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer;
const json = JSON.stringify({ id: "chk_1", note: "é 漢字 ✓", findings: ["a".repeat(200)] });

describe("RecordStore", () => {
  it("reads every stored form written as the schema describes it", async () => {
    const read = await withStorage((sql) => {
      const dictionary = Buffer.from(json.replace("chk_1", "chk_0"), "utf8");
      const id = sql
        .exec<{ id: number }>(
          "INSERT INTO ledger_dictionaries (bytes, created_ms) VALUES (?, 0) RETURNING id",
          blob(deflateRawSync(dictionary)),
        )
        .one().id;
      const withDictionary = deflateRawSync(Buffer.from(json, "utf8"), { dictionary });
      const plain = deflateRawSync(Buffer.from(json, "utf8"));
      for (const [part, bytes] of [plain.subarray(0, 10), plain.subarray(10)].entries())
        sql.exec("INSERT INTO record_parts (owner, part, bytes) VALUES ('dead:x', ?, ?)", part, blob(bytes));
      const records = new RecordStore(sql);
      return {
        legacy: records.read("a", { record: json, dictionary_id: null, parts: null }),
        plain: records.read("b", { record: blob(plain), dictionary_id: null, parts: null }),
        withDictionary: records.read("c", { record: blob(withDictionary), dictionary_id: id, parts: null }),
        inParts: records.read("dead:x", { record: new ArrayBuffer(0), dictionary_id: null, parts: 2 }),
      };
    });
    const expected = { json, bytes: Buffer.byteLength(json, "utf8") };
    expect(read).toEqual({ legacy: expected, plain: expected, withDictionary: expected, inParts: expected });
  });

  it("packs with a dictionary, splits a large body in parts, and reads both back", async () => {
    const large = JSON.stringify({ noise: Array.from({ length: 400_000 }, () => Math.random()) });
    const outcome = await withStorage((sql) => {
      const records = new RecordStore(sql);
      const packed = records.pack(Buffer.from(json, "utf8"));
      const small = records.rowBody("small", packed.bytes);
      small.writeParts();
      const plain = records.packPlain(large);
      const big = records.rowBody("big", plain.bytes);
      big.writeParts();
      const partSizes = sql
        .exec<{ n: number }>("SELECT length(bytes) AS n FROM record_parts WHERE owner = 'big' ORDER BY part")
        .toArray()
        .map((row) => row.n);
      const readSmall = new RecordStore(sql).read("small", {
        record: small.record,
        dictionary_id: packed.dictionaryId,
        parts: small.parts,
      }).json;
      const readBig = records.read("big", { record: big.record, dictionary_id: null, parts: big.parts }).json;
      records.deleteParts("big");
      const left = sql.exec<{ n: number }>("SELECT count(*) AS n FROM record_parts").one().n;
      let missing = "";
      try {
        records.read("big", { record: big.record, dictionary_id: null, parts: big.parts });
      } catch (error) {
        missing = String(error);
      }
      return {
        dictionaryId: packed.dictionaryId,
        smallParts: small.parts,
        bigParts: big.parts,
        bigRecordBytes: big.record.byteLength,
        partSizes,
        plainBytes: plain.bytes.byteLength,
        readSmall,
        readBig,
        left,
        missing,
      };
    });
    expect(outcome.dictionaryId).not.toBeNull();
    expect(outcome.smallParts).toBeNull();
    expect(outcome.plainBytes).toBeGreaterThan(RECORD_PART_BYTES);
    expect(outcome.bigParts).toBe(Math.ceil(outcome.plainBytes / RECORD_PART_BYTES));
    expect(outcome.bigRecordBytes).toBe(0);
    expect(Math.max(...outcome.partSizes)).toBe(RECORD_PART_BYTES);
    expect(outcome.readSmall).toBe(json);
    expect(outcome.readBig).toBe(large);
    expect(outcome.left).toBe(0);
    expect(outcome.missing).toContain(`has 0 of ${outcome.bigParts} parts`);
  });
});
