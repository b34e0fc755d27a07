/**
 * How the object stores a record's JSON text: small, under the row limit, and read back as
 * the exact text that was stored (docs/tenant-object.md, "Bounded storage").
 *
 * Why: an object holds at most 10 GB and a row at most 2 MB, and a check's JSON is ~10 kB: kept
 * as text, a tenant at 300 checks/s filled an object in under an hour. Most of a record is the
 * rules' findings text, the same from check to check, so ledger records are deflated with a
 * preset dictionary made of recent records (a few hundred bytes instead of ~10 kB). Records that must
 * be readable on their own (dead letters, requeued checks) are deflated without one. A body
 * too large for a row is split into `record_parts`. Deflate is `node:zlib`'s synchronous API,
 * so storing and reading stay inside a caller's `transactionSync`.
 *
 * The SQL shape (storage-schema.ts, migration 3): a row's `record` is JSON text (rows from
 * before compression) or the deflated BLOB; `dictionary_id` names its dictionary (NULL: none);
 * when `parts` is set, `record` is empty and the BLOB is in `record_parts` under an owner key.
 */
import { Buffer } from "node:buffer";
import { deflateRawSync, inflateRawSync } from "node:zlib";

/** The largest record BLOB kept in its row; a larger one is split in parts of this size (rows are limited to 2 MB). */
export const RECORD_PART_BYTES = 1_000_000;
/**
 * A preset dictionary is the last 16 KiB of recent records' JSON (dictionaries stored before
 * 2026-12 hold 32 KiB, deflate's whole window, and still read). Deflate hashes every byte of
 * the dictionary on each call, so its size is most of a record's packing cost, while a new
 * record's matches are nearly all in the last record or two. Measured on San Francisco
 * records of 10.7 kB (CPU time, Node's zlib, bench-style interleaved rounds): 32 KiB at
 * level 6, 121–129 µs → 130 B; 16 KiB at level 3, 52–54 µs → 164 B.
 */
const DICTIONARY_BYTES = 16 * 1024;
/** Deflate level for records packed with a dictionary: 3 finds those matches at a fraction of 6's cost. */
const DICTIONARY_LEVEL = 3;
/** A record packed larger than this share of its JSON is news to the dictionary… */
const DICTIONARY_REFRESH_RATIO = 0.1;
/** …and worth a new dictionary when it packs to at least this many bytes… */
const DICTIONARY_REFRESH_MIN_BYTES = 512;
/** …and the current one has packed this many records (a new dictionary costs ~8 kB). */
const DICTIONARY_MIN_USES = 100;
/** Dictionaries kept in memory for reads of older records. */
const DICTIONARY_CACHE = 8;

/** A record as stored: `record` is JSON text (older rows) or deflated bytes (see storage-schema.ts). */
export type StoredRecordRow = {
  record: string | ArrayBuffer;
  dictionary_id: number | null;
  parts: number | null;
};

/** A record's JSON, deflated with the dictionary `dictionaryId` (null: none). */
export interface PackedRecord {
  bytes: Uint8Array;
  dictionaryId: number | null;
}

/** A stored record's JSON text and its UTF-8 size. */
export interface RecordText {
  json: string;
  bytes: number;
}

/**
 * What a row stores for a packed record: `record` and `parts` for its columns, and
 * `writeParts`, which stores the parts (if any). It is separate so that a caller writes parts
 * only once its row's insert succeeded (a replayed id must not overwrite the stored record's).
 */
export interface RowBody {
  record: ArrayBuffer;
  parts: number | null;
  writeParts: () => void;
}

interface Dictionary {
  id: number;
  bytes: Uint8Array;
  /** Records packed with it by this instance. */
  uses: number;
}

/** The bytes of `view`, as SQLite bindings take them. */
function arrayBuffer(view: Uint8Array): ArrayBuffer {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
    ? (view.buffer as ArrayBuffer)
    : (view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer);
}

/**
 * Packs and reads records, owns the preset dictionaries (`ledger_dictionaries`) and the parts
 * of large records (`record_parts`). One per object: it remembers the current dictionary.
 */
export class RecordStore {
  /** The dictionary new records are packed with; undefined = not loaded yet, null = none stored yet. */
  private current: Dictionary | null | undefined;
  private readonly dictionaries = new Map<number, Uint8Array>();

  constructor(private readonly sql: SqlStorage) {}

  /**
   * Compresses a record's JSON with the current dictionary, first storing a new dictionary
   * when there is none or the record is news to it. Call it outside `transactionSync`: a
   * dictionary this stores must outlive a rolled-back write, as the instance remembers it.
   */
  pack(raw: Uint8Array): PackedRecord {
    let dictionary = this.currentDictionary() ?? this.newDictionary(raw, null);
    let bytes: Uint8Array = deflateRawSync(raw, { dictionary: dictionary.bytes, level: DICTIONARY_LEVEL });
    dictionary.uses++;
    if (
      bytes.byteLength > raw.byteLength * DICTIONARY_REFRESH_RATIO &&
      bytes.byteLength >= DICTIONARY_REFRESH_MIN_BYTES &&
      dictionary.uses >= DICTIONARY_MIN_USES
    ) {
      dictionary = this.newDictionary(raw, dictionary);
      bytes = deflateRawSync(raw, { dictionary: dictionary.bytes, level: DICTIONARY_LEVEL });
    }
    return { bytes, dictionaryId: dictionary.id };
  }

  /**
   * Compresses a record's JSON with no dictionary: for records that outlive the dictionaries
   * (dead letters) or are written inside a transaction, where no dictionary may be stored.
   */
  packPlain(json: string | Uint8Array): PackedRecord {
    return {
      bytes: deflateRawSync(typeof json === "string" ? Buffer.from(json, "utf8") : json),
      dictionaryId: null,
    };
  }

  /** The row's share of packed `bytes`: the BLOB itself or, when too large for a row, parts of `owner`. */
  rowBody(owner: string, bytes: Uint8Array): RowBody {
    if (bytes.byteLength <= RECORD_PART_BYTES)
      return { record: arrayBuffer(bytes), parts: null, writeParts: () => {} };
    const parts = Math.ceil(bytes.byteLength / RECORD_PART_BYTES);
    return {
      record: new ArrayBuffer(0),
      parts,
      writeParts: () => {
        for (let part = 0; part < parts; part++)
          this.sql.exec(
            `INSERT INTO record_parts (owner, part, bytes) VALUES (?, ?, ?)
             ON CONFLICT (owner, part) DO UPDATE SET bytes = excluded.bytes`,
            owner,
            part,
            arrayBuffer(bytes.subarray(part * RECORD_PART_BYTES, (part + 1) * RECORD_PART_BYTES)),
          );
      },
    };
  }

  /** The JSON text of a stored row whose parts (if any) belong to `owner`. */
  read(owner: string, row: StoredRecordRow): RecordText {
    const body = this.storedBody(owner, row);
    if (typeof body === "string") return { json: body, bytes: Buffer.byteLength(body, "utf8") };
    const raw = this.inflate(body, row.dictionary_id);
    return { json: raw.toString("utf8"), bytes: raw.byteLength };
  }

  /**
   * The same JSON as UTF-8 bytes, never as a string: the outbox ships bytes to Postgres, and
   * a 200-record batch turned into text and encoded back cost ~50 ms of the object's only
   * thread (docs/performance.md, "The tail"), while inflating straight to bytes costs ~6 ms.
   */
  readBytes(owner: string, row: StoredRecordRow): Uint8Array {
    const body = this.storedBody(owner, row);
    return typeof body === "string" ? Buffer.from(body, "utf8") : this.inflate(body, row.dictionary_id);
  }

  private inflate(body: Uint8Array, dictionaryId: number | null): Buffer {
    return dictionaryId === null
      ? inflateRawSync(body)
      : inflateRawSync(body, { dictionary: this.dictionary(dictionaryId) });
  }

  deleteParts(owner: string): void {
    this.sql.exec("DELETE FROM record_parts WHERE owner = ?", owner);
  }

  /**
   * Deletes the dictionaries older than the oldest one a `checks` row uses (only ledger rows
   * are packed with one); never the current one.
   */
  deleteUnusedDictionaries(): void {
    this.sql.exec(
      `DELETE FROM ledger_dictionaries WHERE id < coalesce(
         (SELECT min(dictionary_id) FROM checks WHERE dictionary_id IS NOT NULL),
         (SELECT max(id) FROM ledger_dictionaries))`,
    );
  }

  /** The stored BLOB of a row (gathering its parts), or its legacy JSON text. */
  private storedBody(owner: string, row: StoredRecordRow): Uint8Array | string {
    if (row.parts === null) return typeof row.record === "string" ? row.record : new Uint8Array(row.record);
    const parts = this.sql
      .exec<{ bytes: ArrayBuffer }>("SELECT bytes FROM record_parts WHERE owner = ? ORDER BY part", owner)
      .toArray();
    if (parts.length !== row.parts)
      throw new Error(`record of ${owner} has ${parts.length} of ${row.parts} parts`);
    return Buffer.concat(parts.map((part) => new Uint8Array(part.bytes)));
  }

  private currentDictionary(): Dictionary | null {
    if (this.current === undefined) {
      const row = this.sql
        .exec<{ id: number; bytes: ArrayBuffer }>(
          "SELECT id, bytes FROM ledger_dictionaries ORDER BY id DESC LIMIT 1",
        )
        .toArray()[0];
      this.current = row ? { id: row.id, bytes: inflateRawSync(new Uint8Array(row.bytes)), uses: 0 } : null;
    }
    return this.current;
  }

  /** Stores the last DICTIONARY_BYTES of `previous` followed by `raw` as the new current dictionary. */
  private newDictionary(raw: Uint8Array, previous: Dictionary | null): Dictionary {
    const joined = previous ? Buffer.concat([previous.bytes, raw]) : raw;
    const bytes = Uint8Array.prototype.slice.call(joined, Math.max(0, joined.byteLength - DICTIONARY_BYTES));
    const id = this.sql
      .exec<{ id: number }>(
        "INSERT INTO ledger_dictionaries (bytes, created_ms) VALUES (?, ?) RETURNING id",
        arrayBuffer(deflateRawSync(bytes)),
        Date.now(),
      )
      .one().id;
    this.current = { id, bytes, uses: 0 };
    return this.current;
  }

  /** A dictionary by id, for reading a record packed with it. */
  private dictionary(id: number): Uint8Array {
    if (this.current?.id === id) return this.current.bytes;
    let bytes = this.dictionaries.get(id);
    if (!bytes) {
      const row = this.sql
        .exec<{ bytes: ArrayBuffer }>("SELECT bytes FROM ledger_dictionaries WHERE id = ?", id)
        .toArray()[0];
      if (!row) throw new Error(`ledger dictionary ${id} is missing`);
      bytes = inflateRawSync(new Uint8Array(row.bytes));
      if (this.dictionaries.size >= DICTIONARY_CACHE)
        this.dictionaries.delete(this.dictionaries.keys().next().value as number);
      this.dictionaries.set(id, bytes);
    }
    return bytes;
  }
}
