/**
 * Canonical JSON (RFC 8785, JSON Canonicalization Scheme): object keys sorted by UTF-16 code
 * units, no whitespace, numbers and strings as ECMAScript's JSON.stringify writes them. The
 * same data always gives the same bytes, so a file's SHA-256 is a fact about its content, and
 * anyone can re-serialise what they parsed and compare.
 */

/** The canonical text of `value`. Refuses what JSON cannot say (NaN, Infinity, functions, bigint). */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no ${value}`);
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonical JSON has no ${typeof value}`);
  }
}

/** Where streamed text goes (an R2 upload, a test's buffer). */
export interface TextSink {
  write(text: string): Promise<void>;
}

/**
 * Writes one canonical JSON object whose members arrive in order, some of them as arrays
 * streamed item by item (pages from a database), so the whole document never sits in memory.
 * Members must be written in canonical (sorted) key order: the writer refuses any other.
 */
export class CanonicalObjectWriter {
  private lastKey: string | null = null;
  private opened = false;

  constructor(private readonly sink: TextSink) {}

  private async key(key: string): Promise<void> {
    if (this.lastKey !== null && !(this.lastKey < key))
      throw new Error(`canonical order: "${key}" written after "${this.lastKey}"`);
    const prefix = this.opened ? (this.lastKey === null ? "" : ",") : "{";
    this.opened = true;
    this.lastKey = key;
    await this.sink.write(`${prefix}${JSON.stringify(key)}:`);
  }

  async member(key: string, value: unknown): Promise<void> {
    await this.key(key);
    await this.sink.write(canonicalJson(value));
  }

  /** A member whose value is an array filled from `pages` (each page an array of items). */
  async arrayMember<T>(
    key: string,
    pages: AsyncIterable<readonly T[]>,
    map: (item: T) => unknown,
  ): Promise<number> {
    await this.key(key);
    await this.sink.write("[");
    let count = 0;
    for await (const page of pages) {
      if (page.length === 0) continue;
      const text = page.map((item) => canonicalJson(map(item))).join(",");
      await this.sink.write(count === 0 ? text : `,${text}`);
      count += page.length;
    }
    await this.sink.write("]");
    return count;
  }

  async close(): Promise<void> {
    await this.sink.write(this.opened ? "}" : "{}");
  }
}
