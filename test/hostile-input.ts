/**
 * Hostile input for every /v1/ route, shared by the property suite (test/route-properties.test.ts,
 * inside workerd) and the soak (`npm run fuzz`, scripts/fuzz.ts, in Node against `npm start`).
 *
 * For each route: how it authenticates, the path (its parameters either the fixture's real ids
 * or hostile text), a query and a body. Bodies start from a mostly valid template whose leaves are
 * exotic-but-valid text and dates (so they reach the database) and are then broken on purpose:
 * a field replaced by a wrong type, a huge number, deep nesting or invalid text; extra fields;
 * arrays at and over their maximum size; raw text that is not JSON; the wrong content type.
 *
 * Pure data and fast-check only: no Worker, database or Node import, so both runners share it.
 */
import fc from "fast-check";

// ---------------------------------------------------------------------------------------------
// Text, numbers, dates

/** Characters that have broken parsers, encoders and databases before. */
const SPECIAL_CHARS = [
  "\u0000", // PostgreSQL text and jsonb refuse it
  "\uD800", // lone high surrogate
  "\uDFFF", // lone low surrogate
  "\u202E", // right-to-left override
  "\u200F", // right-to-left mark
  "\u0627\u0644\u0639\u0631\u0628\u064A\u0629", // Arabic
  "\u05E2\u05D1\u05E8\u05D9\u05EA", // Hebrew
  "\uD83D\uDE00", // emoji
  "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67", // ZWJ family
  "\uD83C\uDDFA\uD83C\uDDF8", // flag
  "e\u0301", // combining acute
  "\u0301\u0302\u0303\u0304", // combining marks alone
  "Z\u0351\u0357\u0346\u0315\u035C", // zalgo
  "\uFEFF", // BOM
  "\u2028", // line separator
  "\uFFFF", // noncharacter
  "\uDBFF\uDFFF", // U+10FFFF
  "\u00A0",
  "\t",
  "\r\n",
  '"',
  "\\",
  "'",
  "`",
  "%",
  "%00",
  "%E0%A4%A",
  "%FF",
  "../",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  "${}",
  "{{7*7}}",
  "__proto__",
  "\u0130", // İ: lower-cases to two code units
  "\u00DF", // ß: upper-cases to SS
  "\uFB01", // ﬁ ligature
];

const char = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_CHARS) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) },
);

/** Any string at all: NUL, lone surrogates, RTL, emoji, combining marks, SQL and template text. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(char, { maxLength: 24 }).map((chars) => chars.join("")) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "   ", "null", "undefined", "NaN", "true", "0", "-1") },
  // At and around the usual length limits (100, 200, 254, 256, 2000) and well past them.
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom("a", "\uD83D\uDE00", "e\u0301", "\u05D0", "\u0000"),
        fc.constantFrom(99, 100, 101, 200, 201, 254, 255, 256, 257, 2000, 2001, 9000),
      )
      .map(([c, n]) => c.repeat(n)),
  },
);

/** No NUL and no lone surrogate (encodeURIComponent throws on those). */
function isStorable(text: string): boolean {
  if (text.includes(String.fromCharCode(0))) return false;
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** Text that storable-string validation should accept: exotic, but well-formed and without NUL. */
export const exoticText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...SPECIAL_CHARS.filter(isStorable)),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 3 }),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(""))
  .filter((s) => s.trim().length > 0);

/** Numbers at every edge, including ones JSON.stringify turns into null (NaN, ±Infinity). */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    0.5,
    -1,
    1e21,
    -1e21,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MIN_SAFE_INTEGER - 2,
    2 ** 31,
    2 ** 63,
    Number.EPSILON,
    Number.MIN_VALUE,
  ),
);

/** JSON number literals JSON.parse reads as Infinity, -0 or beyond double precision. */
const HUGE_NUMBER_LITERALS = [
  "1e999",
  "-1e999",
  "123456789012345678901234567890123456789",
  "-0",
  "1E400",
  "0.0000000000000000000000000000001e-400",
];

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Real calendar dates, years 0001–9999. */
export const validDate: fc.Arbitrary<string> = fc.oneof(
  fc
    .date({
      min: new Date("0001-01-01T00:00:00Z"),
      max: new Date("9999-12-31T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom("0001-01-01", "9999-12-31", "2024-02-29", "2000-02-29", "1970-01-01", "2026-11-25"),
);

/** Dates that must be refused: year 0000, Feb 30, month 13, day 00, signed and 5-digit years, other formats. */
export const invalidDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "0000-01-01",
    "0000-12-31",
    "2025-02-29",
    "2025-02-30",
    "2024-02-30",
    "1900-02-29",
    "2025-13-01",
    "2025-00-10",
    "2025-01-00",
    "2025-01-32",
    "2025-04-31",
    "+002025-01-01",
    "-000001-01-01",
    "10000-01-01",
    "99999-12-31",
    "2025-1-1",
    "2025/01/01",
    "01/02/2025",
    "20250101",
    "2025-01-01 ",
    " 2025-01-01",
    "2025-01-01\u0000",
    "2025-01-0\uD800",
    "\u0662\u0660\u0662\u0665-\u0660\u0661-\u0660\u0661", // Arabic-Indic digits
    "2025-01-01T",
    "",
  ),
  fc
    .tuple(
      fc.integer({ min: 0, max: 99999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
    )
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
);

const OFFSETS = [
  "Z",
  "z",
  "+00:00",
  "-00:00",
  "+15:59",
  "-15:59",
  "+16:00",
  "-16:00",
  "+24:00",
  "+99:99",
  "+05:60",
  "+0530",
  "+05",
  "",
];

/** RFC 3339-ish date-times, valid and not: hour 24/25, minute 60, leap second, offsets out of range, long fractions. */
export const dateTime: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: validDate }, { weight: 1, arbitrary: invalidDate }),
      fc.constantFrom("T", "t", " ", "_"),
      fc.integer({ min: 0, max: 26 }),
      fc.integer({ min: 0, max: 61 }),
      fc.option(fc.integer({ min: 0, max: 61 })),
      fc.constantFrom("", ".5", ".123456789", ".1234567890", "."),
      fc.constantFrom(...OFFSETS),
    )
    .map(
      ([date, sep, h, m, s, frac, offset]) =>
        `${date}${sep}${pad(h, 2)}:${pad(m, 2)}${s === null ? "" : `:${pad(s, 2)}${frac}`}${offset}`,
    ),
  fc.constantFrom(
    "2026-01-05T25:00:00Z",
    "2026-01-05T24:00:00Z",
    "2026-01-05T23:60:00Z",
    "2026-12-31T23:59:60Z",
    "9999-12-31T23:59:59-01:00", // after 9999 in UTC
    "0001-01-01T00:00:00+01:00", // before 0001 in UTC
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "2026-03-14T09:30:00-07:00",
    "2026-02-30T10:00:00Z",
    "0000-01-01T00:00:00Z",
  ),
);

/** Anything a date or date-time field might receive. */
export const dateLike: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: validDate },
  { weight: 3, arbitrary: invalidDate },
  { weight: 3, arbitrary: dateTime },
  { weight: 1, arbitrary: hostileString },
);

// ---------------------------------------------------------------------------------------------
// JSON values and bodies

/** A piece of JSON text spliced in verbatim where the value stands (deep nesting, huge literals). */
export class RawJson {
  constructor(readonly text: string) {}
}

const deep = (depth: number, kind: "array" | "object") =>
  new RawJson(
    kind === "array"
      ? `${"[".repeat(depth)}${"]".repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );

/** Nested 33 deep (just past the patch limit) up to 100,000 deep. */
export const deepNesting: fc.Arbitrary<RawJson> = fc
  .tuple(
    fc.constantFrom(5, 32, 33, 64, 1000, 5000, 100_000),
    fc.constantFrom("array" as const, "object" as const),
  )
  .map(([depth, kind]) => deep(depth, kind));

/** Any value a field might hold instead of the right one. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 2, arbitrary: dateLike },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { "": null }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE_NUMBER_LITERALS).map((t) => new RawJson(t)) },
  {
    weight: 1,
    arbitrary: fc.dictionary(hostileString, fc.oneof(hostileString, hostileNumber), { maxKeys: 4 }),
  },
);

const FIELD_NAMES = [
  "__proto__",
  "constructor",
  "prototype",
  "id",
  "status",
  "tenantId",
  "createdAt",
  "",
  "\u0000",
  "a/b",
  "~1",
];

/** Every path to a value inside `value` (objects and arrays), the root included. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) {
    // Long arrays: a few items suffice.
    for (const i of [0, 1, value.length - 1])
      if (i >= 0 && i < value.length) pathsOf(value[i], [...prefix, i], out);
  } else if (value !== null && typeof value === "object" && !(value instanceof RawJson)) {
    for (const [key, child] of Object.entries(value)) pathsOf(child, [...prefix, key], out);
  }
  return out;
}

/** `value` with the value at `path` replaced (copied along the path; the rest is shared). */
function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  Object.defineProperty(copy, head, {
    value: replaceAt(copy[head], rest, replacement),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** Breaks a valid value: one to three leaves or subtrees replaced, or extra fields added. */
export function broken<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  const mutation = fc.tuple(
    fc.nat(),
    fc.oneof(hostileValue, fc.constant(undefined)),
    fc.option(fc.constantFrom(...FIELD_NAMES)),
  );
  return fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([start, mutations]) => {
    let value: unknown = start;
    for (const [index, replacement, extraField] of mutations) {
      const paths = pathsOf(value);
      const path = paths[index % paths.length] ?? [];
      if (extraField !== null) {
        const target = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], value);
        if (
          target !== null &&
          typeof target === "object" &&
          !Array.isArray(target) &&
          !(target instanceof RawJson)
        )
          value = replaceAt(value, [...path, extraField], replacement ?? null);
        continue;
      }
      if (replacement === undefined) {
        // Remove the field (or the item).
        if (path.length === 0) continue;
        const parentPath = path.slice(0, -1);
        const parent = parentPath.reduce<unknown>(
          (node, key) => (node as Record<string, unknown>)[key],
          value,
        );
        const last = path[path.length - 1] as string | number;
        const without = Array.isArray(parent)
          ? parent.filter((_, i) => i !== last)
          : Object.fromEntries(Object.entries(parent as object).filter(([k]) => k !== last));
        value = replaceAt(value, parentPath, without);
      } else {
        value = replaceAt(value, path, replacement);
      }
    }
    return value;
  });
}

/** JSON text for a value, with RawJson pieces spliced in verbatim. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0001RAW${raws.length - 1}\u0001`;
    }
    return v;
  });
  if (text === undefined) return "null";
  return raws.length === 0
    ? text
    : text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_, i) => raws[Number(i)] ?? "null");
}

export interface HostileBody {
  text: string;
  /** null: no Content-Type header at all. */
  contentType: string | null;
}

const JSON_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/problem+json",
  "APPLICATION/JSON",
];

/** Text that is not JSON, or is JSON of the wrong shape, sent as JSON. */
const rawGarbage: fc.Arbitrary<string> = fc.oneof(
  hostileString,
  fc.constantFrom(
    "",
    "{",
    "[",
    '{"a":',
    "{'a':1}",
    '{"a":1,}',
    "NaN",
    "undefined",
    '"\\ud800"',
    '"\\u0000"',
    "\uFEFF{}",
    '{"a":1}{"b":2}',
    '{"__proto__":{"polluted":true}}',
    '{"a":"\\x00"}',
    "[]",
    "null",
    "0",
    '""',
    ...HUGE_NUMBER_LITERALS,
  ),
  deepNesting.map((raw) => raw.text),
);

/** The body of a request: mostly the route's template (valid or broken), sometimes no JSON at all. */
export function hostileBody(template: fc.Arbitrary<unknown>): fc.Arbitrary<HostileBody> {
  const asJson = (value: fc.Arbitrary<unknown>) =>
    fc
      .tuple(
        value,
        fc.oneof(
          { weight: 6, arbitrary: fc.constant("application/json") },
          { weight: 1, arbitrary: fc.constantFrom(...JSON_TYPES) },
        ),
      )
      .map(([v, contentType]) => ({ text: toJsonText(v), contentType }));
  return fc.oneof(
    { weight: 4, arbitrary: asJson(template) },
    { weight: 6, arbitrary: asJson(broken(template)) },
    { weight: 1, arbitrary: asJson(hostileValue) },
    { weight: 1, arbitrary: rawGarbage.map((text) => ({ text, contentType: "application/json" })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          template,
          fc.constantFrom(
            null,
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/jsonx",
            "json",
            "",
          ),
        )
        .map(([v, contentType]) => ({ text: toJsonText(v), contentType })),
    },
  );
}

/** `count` copies of an item, ids made unique by `withIndex`: arrays at and just over a maximum size. */
function sized<T>(
  item: fc.Arbitrary<T>,
  max: number,
  withIndex: (item: T, i: number) => T = (t) => t,
): fc.Arbitrary<T[]> {
  return fc
    .tuple(item, fc.constantFrom(0, 1, max - 1, max, max + 1))
    .map(([one, n]) => Array.from({ length: Math.max(0, n) }, (_, i) => withIndex(one, i)));
}

/** A small array, or one at or just over its maximum size. */
function arrayOf<T>(
  item: fc.Arbitrary<T>,
  max: number,
  withIndex?: (item: T, i: number) => T,
): fc.Arbitrary<T[]> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.array(item, { maxLength: 3 }) },
    { weight: 1, arbitrary: sized(item, max, withIndex) },
  );
}

const text = (...valid: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: valid.length ? fc.constantFrom(...valid) : exoticText },
    { weight: 2, arbitrary: exoticText },
    { weight: 1, arbitrary: hostileString },
  );

// ---------------------------------------------------------------------------------------------
// Resource templates

/** Ids of the fixture's resources, and well-formed ids of nothing. */
export interface Fixture {
  tenantId: string;
  facilityId: string;
  checkId: string;
  groupId: string;
  alertId: string;
  keyId: string;
  userId: string;
  inviteId: string;
  /** A jurisdiction that has a dataset the runner may play with (its source may be rewritten). */
  ocdId: string;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** A well-formed id of `prefix` that names nothing. */
export const idOf = (prefix: string) =>
  fc
    .array(fc.constantFrom(...CROCKFORD), { minLength: 26, maxLength: 26 })
    .map((chars) => `${prefix}_${chars.join("")}`);

const dateOrNull = fc.oneof({ weight: 4, arbitrary: dateLike }, { weight: 1, arbitrary: fc.constant(null) });
const ca = "ocd-division/country:us/state:ca";

const credential = fc.record(
  {
    type: fc.constantFrom(
      "food_handler_card",
      "food_protection_manager",
      "allergen_awareness",
      "local_manager_certificate",
    ),
    issuer: fc.constantFrom(
      ca,
      `${ca}/place:san_francisco`,
      "ocd-division/country:us/state:ca/county:x~y.z-1",
    ),
    issuedAt: dateLike,
    expiresAt: dateOrNull,
  },
  { requiredKeys: ["type"] },
);

const staffMember = fc.record(
  {
    id: text("mgr-1", "s-1"),
    name: text("Ana"),
    role: fc.constantFrom("food_employee", "manager", "person_in_charge", "owner"),
    hiredAt: dateLike,
    credentials: arrayOf(credential, 50),
  },
  { requiredKeys: ["id", "role", "hiredAt"] },
);

const facility = fc.record(
  {
    name: text("Mission Street Kitchen"),
    type: fc.constantFrom(
      "restaurant",
      "caterer",
      "mobile_food_facility",
      "institutional_kitchen",
      "commissary",
      "ghost_kitchen",
      "shared_kitchen",
    ),
    address: fc.record(
      {
        line1: text("2000 Mission St"),
        city: text("San Francisco", "Los Angeles", "Chicago", "Brooklyn"),
        county: text("Cook"),
        state: fc.constantFrom("CA", "ca", " ny ", "IL", "TX", "PR", "ZZ"),
        postalCode: fc.constantFrom("94110", "94110-1234", "9411", "\u0669\u0664\u0661\u0661\u0660"),
      },
      { requiredKeys: ["city", "state"] },
    ),
    handlesUnpackagedTcsFood: fc.boolean(),
    chainLocations: fc.integer({ min: 1, max: 1_000_000 }),
    postedNotices: arrayOf(
      fc.constantFrom(
        "choking_first_aid",
        "letter_grade_card",
        "inspection_placard",
        "LETTER_GRADE_CARD",
        "",
      ),
      60,
    ),
    openedAt: dateLike,
    ownershipChangedAt: dateLike,
    permits: arrayOf(
      fc.record(
        {
          type: fc.constantFrom("health_permit", "business_license", "mobile_food_facility_permit"),
          number: text("SF-HP-1"),
          issuer: fc.constantFrom(`${ca}/place:san_francisco`, ca),
          issuedAt: dateLike,
          expiresAt: dateOrNull,
        },
        { requiredKeys: ["type"] },
      ),
      200,
    ),
    staff: arrayOf(staffMember, 5000, (member, i) => ({ ...member, id: `${member.id}-${i}` })).map((staff) =>
      // Unique ids most of the time: duplicates are refused before anything else is looked at.
      staff.map((member, i) => ({ ...member, id: `${member.id}#${i}` })),
    ),
    inspections: arrayOf(
      fc.record(
        {
          date: dateLike,
          score: hostileNumber,
          grade: text("A"),
          criticalViolations: fc.oneof(fc.nat(20), hostileNumber),
        },
        { requiredKeys: ["date"] },
      ),
      1000,
    ),
    temperatureLogs: arrayOf(
      fc.record({
        at: dateTime,
        item: text("chicken"),
        mode: fc.constantFrom("cold_holding", "hot_holding"),
        tempF: fc.oneof(fc.double({ min: -100, max: 1000, noNaN: true }), hostileNumber),
      }),
      10_000,
    ),
  },
  { requiredKeys: ["name", "type", "address"] },
);

const asOf = fc.oneof({ weight: 4, arbitrary: dateLike }, { weight: 1, arbitrary: fc.constant(undefined) });
const email = fc.oneof(
  fc.uuid().map((u) => `fuzz-${u}@example.test`),
  fc.tuple(exoticText, fc.uuid()).map(([t, u]) => `${t}${u.slice(0, 8)}@example.test`),
  fc.uuid().map((u) => `FUZZ-${u}@EXAMPLE.TEST `),
  hostileString,
);
const password = fc.oneof(
  fc.constant("correct horse battery staple"),
  hostileString,
  fc.string({ unit: "binary", minLength: 12, maxLength: 300 }),
);
const roles = fc.constantFrom("owner", "admin", "manager", "viewer");
// Notifications (ADR 0015): event types and webhook endpoint bodies.
const notificationEvent = fc.oneof(
  fc.constantFrom(
    "facility.status_changed",
    "finding.failing",
    "export.ready",
    "rule_change.ahead",
    "facility.exploded",
  ),
  hostileString,
);
const webhookBody = (requiredKeys: ("url" | "events")[]) =>
  fc.record(
    {
      url: fc.oneof(
        fc.constantFrom(
          "http://127.0.0.1:9/hook",
          "https://hooks.example.test/prep",
          "http://10.0.0.1/x",
          "javascript:alert(1)",
          "https://user:pw@x.test/",
          "https://[::1]/",
        ),
        hostileString.map((s) => `https://hooks.example.test/${s}`),
        hostileString,
      ),
      events: arrayOf(notificationEvent, 20),
      description: fc.oneof(fc.constant(null), hostileString),
      enabled: fc.boolean(),
    },
    { requiredKeys },
  );
const scopes = fc.constantFrom(
  "checks:read",
  "checks:write",
  "facilities:read",
  "facilities:write",
  "usage:read",
  "billing:read",
  "alerts:read",
  "alerts:write",
  "keys:write",
  "team:read",
);
const ocdLike = fc.oneof(
  fc.constantFrom(
    ca,
    "ocd-division/country:us/state:zz/place:fuzz",
    "ocd-division/country:us/state:ca/county:modoc",
    "ocd-division/country:xx",
    "ocd-division/country:us/",
  ),
  hostileString,
);
/** Percent-encodings that are not UTF-8 or not encodings at all: decodeURIComponent throws on them. */
const BAD_ESCAPES = [
  "%",
  "%Z",
  "%ZZ",
  "%E0%A4%A",
  "%ED%A0%80",
  "%FF",
  "%C0%AF",
  "%00",
  "%25",
  "%2F..%2F",
  "%2e%2e",
];

// ---------------------------------------------------------------------------------------------
// Queries and paths

/** UTF-8 percent-encoding that also survives lone surrogates (encoded as U+FFFD, as browsers do). */
export function percentEncode(text: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** A query-string or path piece: encoded hostile text, or raw broken escapes. */
const hostileComponent: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileString.map(percentEncode) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_ESCAPES) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...BAD_ESCAPES), hostileString.map(percentEncode))
      .map(([a, b]) => a + b),
  },
);

type QuerySpec = Record<string, fc.Arbitrary<string>>;

/** A query string: the route's own parameters (valid or not), repeated ones, unknown ones and broken escapes. */
function hostileQuery(spec: QuerySpec): fc.Arbitrary<string> {
  const known = Object.entries(spec).map(([name, valid]) =>
    fc.option(
      fc.tuple(
        fc.constant(name),
        fc.oneof(
          { weight: 3, arbitrary: valid.map(percentEncode) },
          { weight: 1, arbitrary: hostileComponent },
        ),
        fc.boolean(), // repeated
      ),
      { freq: 2 },
    ),
  );
  const extra = fc.array(fc.tuple(hostileComponent, hostileComponent), { maxLength: 2 });
  return fc
    .tuple(fc.tuple(...known), extra, fc.constantFrom("", "", "", "&", "&&", "=", "&=x", "&a", "#frag"))
    .map(([params, more, tail]) => {
      const pairs: string[] = [];
      for (const param of params) {
        if (!param) continue;
        const [name, value, repeated] = param;
        pairs.push(`${name}=${value}`);
        if (repeated) pairs.push(`${name}=${value}x`);
      }
      for (const [name, value] of more) pairs.push(`${name}=${value}`);
      const query = pairs.join("&") + tail;
      return query ? `?${query}` : "";
    });
}

/** A path parameter: the fixture's value most of the time, else a well-formed id of nothing or hostile text. */
function pathParam(real: string, prefix: string | null): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(real) },
    { weight: 1, arbitrary: prefix ? idOf(prefix) : fc.constant(real) },
    { weight: 2, arbitrary: hostileComponent.filter((s) => s.length > 0 && s !== "." && s !== "..") },
  );
}

// ---------------------------------------------------------------------------------------------
// The routes

/** `partner`: a partner's bearer access token (ADR 0023), with an active grant for the fixture's tenant. */
export type Auth = "key" | "session" | "admin" | "public" | "partner";

export interface RouteSpec {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** As the app registers it (`app.routes`). */
  route: string;
  auth: Auth;
  /** The route's own query parameters and their valid values (any route also gets unknown ones). */
  query?: QuerySpec;
  /** The body template (valid values; `hostileBody` breaks it). Absent: the route takes no body. */
  body?: fc.Arbitrary<unknown>;
  /** Server-Sent Events: read the status, then cancel the body. */
  stream?: boolean;
  /**
   * Requests the runners must not send: those that would change what other tests share
   * (every dataset refreshed at once). A refused request is never filtered.
   */
  sendable?: (request: HostileRequest) => boolean;
}

export interface HostileRequest {
  method: string;
  /** Path and query, e.g. /v1/usage?to=… */
  url: string;
  body?: HostileBody;
  headers: Record<string, string>;
}

const none: QuerySpec = {};
const page = (prefix: string): QuerySpec => ({
  cursor: fc.oneof(idOf(prefix), hostileString),
  limit: fc.oneof(
    fc.constantFrom("1", "100", "101", "0", "-1", "1e2", "0x10", "999", "1000", " 5", "5.0"),
    fc.nat().map(String),
  ),
});

/** `?include=` on verdict answers: the one valid value, near misses and hostile text. */
const include = fc.oneof(fc.constantFrom("not_applicable", "NOT_APPLICABLE", "all", ""), hostileString);

/** A real rule id, or near misses. */
const ruleId = fc.constantFrom(
  "FUZZ-INFO",
  "MOD-INFO",
  "CA-CALCODE-113947.1",
  "X",
  "fuzz-lower",
  `A${"B".repeat(59)}`,
  `A${"B".repeat(60)}`,
);

/** An authorization request's parameters (ADR 0023): valid-looking values, near misses and hostile text. */
const consentQuery = {
  response_type: fc.constantFrom("code", "token", "CODE", ""),
  client_id: fc.oneof(idOf("pcl"), hostileString),
  redirect_uri: fc.oneof(
    fc.constantFrom("https://marketplace.example/prep/callback", "javascript:alert(1)", "http://[::1", "//x"),
    hostileString,
  ),
  scope: fc.oneof(fc.constantFrom("tenants:read", "tenants:read checks:write", "admin", ""), hostileString),
  state: hostileString,
  code_challenge: fc.oneof(fc.constant("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), hostileString),
  code_challenge_method: fc.constantFrom("S256", "plain", ""),
};

export const ROUTE_SPECS: readonly RouteSpec[] = [
  // API-key routes
  { method: "GET", route: "/v1/me", auth: "key" },
  { method: "GET", route: "/v1/keys", auth: "key" },
  {
    method: "GET",
    route: "/v1/audit-log",
    auth: "key",
    query: { format: fc.constantFrom("json", "csv", "xml"), ...page("aud") },
  },
  {
    method: "POST",
    route: "/v1/keys",
    auth: "key",
    body: fc.record(
      {
        name: text("ci"),
        scopes: arrayOf(scopes, 20),
        expiresAt: fc.oneof(
          fc.constantFrom(
            "2099-01-01T00:00:00Z",
            "2000-01-01T00:00:00Z",
            "2027-02-31T00:00:00Z",
            "2026-12-31",
            "9999-12-31T23:59:59.999999999+23:59",
          ),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          hostileString,
        ),
        service: fc.oneof(fc.boolean(), hostileString),
      },
      { requiredKeys: ["name"] },
    ),
  },
  { method: "DELETE", route: "/v1/keys/:id", auth: "key" },
  {
    method: "POST",
    route: "/v1/checks",
    auth: "key",
    query: { include },
    body: fc.record({ asOf, facility }, { requiredKeys: ["facility"] }),
  },
  { method: "GET", route: "/v1/checks/:id", auth: "key", query: { include } },
  { method: "POST", route: "/v1/facilities", auth: "key", body: facility },
  {
    method: "GET",
    route: "/v1/facilities",
    auth: "key",
    query: {
      state: fc.constantFrom("CA", "ca", "ZZ", "C"),
      status: fc.constantFrom("compliant", "at_risk", "bogus"),
      ...page("fac"),
    },
  },
  { method: "GET", route: "/v1/facilities/:id", auth: "key" },
  {
    method: "PATCH",
    route: "/v1/facilities/:id",
    auth: "key",
    // A merge patch: any subset of a facility, null to remove.
    body: facility.chain((f) =>
      fc
        .subarray(Object.keys(f))
        .map((keys) => Object.fromEntries(keys.map((k) => [k, (f as Record<string, unknown>)[k]]))),
    ),
  },
  { method: "DELETE", route: "/v1/facilities/:id", auth: "key" },
  {
    method: "POST",
    route: "/v1/facilities/:id/checks",
    auth: "key",
    query: { include },
    body: fc.record({ asOf }, { requiredKeys: [] }),
  },
  { method: "GET", route: "/v1/facilities/:id/checks", auth: "key", query: page("chk") },
  { method: "GET", route: "/v1/facilities/:id/verdict", auth: "key", query: { include } },
  { method: "GET", route: "/v1/jurisdictions", auth: "key" },
  { method: "GET", route: "/v1/jurisdictions/:ocdId{.+}/rules", auth: "key" },
  { method: "GET", route: "/v1/billing", auth: "key" },
  {
    method: "GET",
    route: "/v1/usage",
    auth: "key",
    query: { from: dateLike, to: dateLike, granularity: fc.constantFrom("day", "hour", "week", "DAY") },
  },
  // Regulatory change (issue 20)
  { method: "GET", route: "/v1/rule-changes", auth: "key" },
  { method: "GET", route: "/v1/renewal-reminders", auth: "key" },
  {
    method: "GET",
    route: "/v1/alerts",
    auth: "key",
    query: {
      facilityId: fc.oneof(idOf("fac"), hostileString),
      status: fc.constantFrom("compliant", "at_risk", "non_compliant", "x"),
      acknowledged: fc.constantFrom("true", "false", "TRUE", "1"),
      ...page("alr"),
    },
  },
  {
    method: "GET",
    route: "/v1/alerts/stream",
    auth: "key",
    stream: true,
    query: { access_token: fc.oneof(hostileString, fc.constant("prep_test_x")) },
  },
  { method: "POST", route: "/v1/alerts/:id/ack", auth: "key" },
  { method: "GET", route: "/v1/groups", auth: "key" },
  {
    method: "POST",
    route: "/v1/groups",
    auth: "key",
    body: fc.record(
      {
        name: text("West"),
        kind: fc.constantFrom("region", "brand"),
        facilityIds: arrayOf(idOf("fac"), 1000),
      },
      { requiredKeys: ["name", "kind"] },
    ),
  },
  {
    method: "PATCH",
    route: "/v1/groups/:id",
    auth: "key",
    body: fc.record({ name: text("East"), facilityIds: arrayOf(idOf("fac"), 1000) }, { requiredKeys: [] }),
  },
  { method: "DELETE", route: "/v1/groups/:id", auth: "key" },
  // Evidence vault: exports (run by the tenant object in the background), files, share links, schedule.
  {
    method: "POST",
    route: "/v1/exports",
    auth: "key",
    body: fc.record(
      { facilityIds: arrayOf(idOf("fac"), 1000), from: dateLike, to: dateLike },
      { requiredKeys: [] },
    ),
  },
  { method: "GET", route: "/v1/exports", auth: "key", query: page("exp") },
  { method: "GET", route: "/v1/exports/:id", auth: "key" },
  { method: "GET", route: "/v1/exports/:id/files/:name{.+}", auth: "key" },
  { method: "GET", route: "/v1/exports/:id/bundle.zip", auth: "key" },
  {
    method: "POST",
    route: "/v1/exports/:id/shares",
    auth: "key",
    body: fc.record(
      { expiresAt: dateLike, email: fc.oneof(email, fc.constant(null)) },
      { requiredKeys: ["expiresAt"] },
    ),
  },
  { method: "GET", route: "/v1/exports/:id/shares", auth: "key" },
  { method: "DELETE", route: "/v1/exports/:id/shares/:shareId", auth: "key" },
  { method: "GET", route: "/v1/exports/schedule", auth: "key" },
  {
    method: "PUT",
    route: "/v1/exports/schedule",
    auth: "key",
    body: fc.record(
      {
        cadence: fc.oneof(fc.constantFrom("monthly", "quarterly", "weekly", "MONTHLY"), hostileString),
        facilityIds: fc.oneof(arrayOf(idOf("fac"), 1000), fc.constant(null)),
      },
      { requiredKeys: ["cadence"] },
    ),
  },
  { method: "DELETE", route: "/v1/exports/schedule", auth: "key" },

  // Public routes
  { method: "GET", route: "/v1/openapi.json", auth: "public" },
  { method: "GET", route: "/v1/status", auth: "public" },
  {
    method: "POST",
    route: "/v1/auth/signup",
    auth: "public",
    body: fc.record(
      { companyName: text("Fuzz Kitchens"), name: text("Ana"), email, password },
      { requiredKeys: ["companyName", "email", "password"] },
    ),
  },
  {
    method: "POST",
    route: "/v1/auth/signup/verify",
    auth: "public",
    body: fc.record({ token: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), hostileString) }),
  },
  { method: "POST", route: "/v1/auth/signin", auth: "public", body: fc.record({ email, password }) },
  { method: "POST", route: "/v1/auth/password-reset", auth: "public", body: fc.record({ email }) },
  {
    method: "POST",
    route: "/v1/auth/password-reset/confirm",
    auth: "public",
    body: fc.record({ token: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), hostileString), password }),
  },
  {
    method: "POST",
    route: "/v1/billing/stripe/webhook",
    auth: "public",
    body: fc.record(
      {
        id: fc.oneof(fc.constant("evt_fuzz"), hostileString),
        type: fc.constantFrom("invoice.paid", "customer.subscription.updated", "x"),
        data: fc.record({ object: fc.record({ id: fc.oneof(fc.constant("sub_fuzz"), hostileString) }) }),
      },
      { requiredKeys: [] },
    ),
  },
  {
    method: "POST",
    route: "/v1/auth/invites/accept",
    auth: "public",
    body: fc.record(
      {
        token: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), hostileString),
        name: text("Ana"),
        password,
      },
      { requiredKeys: ["token", "password"] },
    ),
  },

  // Session routes (the web app's)
  { method: "GET", route: "/v1/session", auth: "session" },
  { method: "POST", route: "/v1/auth/signout", auth: "session" },
  { method: "GET", route: "/v1/users", auth: "session" },
  {
    method: "PATCH",
    route: "/v1/users/:id",
    auth: "session",
    body: fc.record(
      { role: roles, facilityIds: arrayOf(idOf("fac"), 1000), groupIds: arrayOf(idOf("grp"), 100) },
      { requiredKeys: [] },
    ),
  },
  { method: "DELETE", route: "/v1/users/:id", auth: "session" },
  { method: "GET", route: "/v1/users/:id/sessions", auth: "session" },
  { method: "DELETE", route: "/v1/users/:id/sessions/:sessionId", auth: "session" },
  {
    method: "POST",
    route: "/v1/account/password",
    auth: "session",
    body: fc.record({ currentPassword: password, newPassword: password }),
  },
  { method: "GET", route: "/v1/invites", auth: "session" },
  {
    method: "POST",
    route: "/v1/invites",
    auth: "session",
    body: fc.record(
      { email, role: roles, facilityIds: arrayOf(idOf("fac"), 1000), groupIds: arrayOf(idOf("grp"), 100) },
      { requiredKeys: ["email", "role"] },
    ),
  },
  { method: "DELETE", route: "/v1/invites/:id", auth: "session" },
  {
    method: "POST",
    route: "/v1/billing/checkout",
    auth: "session",
    body: fc.record(
      {
        plan: fc.oneof(fc.constantFrom("starter", "growth", "enterprise", "platinum"), hostileString),
        states: arrayOf(fc.oneof(fc.constantFrom("CA", "tx", "ZZ"), hostileString), 60),
      },
      { requiredKeys: [] },
    ),
  },
  { method: "POST", route: "/v1/billing/portal", auth: "session" },
  {
    method: "PUT",
    route: "/v1/billing/plan",
    auth: "session",
    body: fc.record(
      {
        plan: fc.oneof(fc.constantFrom("starter", "growth", "enterprise", "platinum", ""), hostileString),
        states: arrayOf(fc.oneof(fc.constantFrom("CA", "tx", "ZZ", "DC", ""), hostileString), 60),
      },
      { requiredKeys: [] },
    ),
  },

  // Platform-admin routes
  { method: "GET", route: "/v1/admin/billing", auth: "admin" },
  {
    method: "POST",
    route: "/v1/admin/refresh",
    auth: "admin",
    body: fc.record({ jurisdictions: arrayOf(ocdLike, 100) }, { requiredKeys: [] }),
    // Without a jurisdiction list (no body, {}), every dataset is refreshed: not while other tests use them.
    sendable: (request) => {
      if (!request.body) return false;
      try {
        const body = JSON.parse(request.body.text) as unknown;
        if (body === null || typeof body !== "object" || Array.isArray(body)) return true;
        const list = (body as { jurisdictions?: unknown }).jurisdictions;
        if (list === undefined) return false;
        return !Array.isArray(list) || !list.some((j) => typeof j === "string" && !j.includes("state:zz"));
      } catch {
        return true;
      }
    },
  },
  { method: "GET", route: "/v1/admin/refresh-runs/:runId", auth: "admin" },
  {
    method: "PUT",
    route: "/v1/admin/datasets/:ocdId{.+}/source",
    auth: "admin",
    body: fc.record({
      sourceUrl: fc.oneof(
        fc.constantFrom(
          "https://example.test/d.json",
          `bundled:${ca}`,
          "http://x",
          "https://",
          "bundled:",
          "file:///etc/passwd",
          "https://user:pass@x.test/%00",
        ),
        hostileString.map((s) => `https://example.test/${s}`),
        hostileString,
      ),
      trusted: fc.boolean(),
    }),
  },
  {
    method: "GET",
    route: "/v1/admin/source-changes",
    auth: "admin",
    query: { jurisdiction: ocdLike, status: fc.constantFrom("pending", "approved", "rejected", "nope") },
  },
  { method: "POST", route: "/v1/admin/source-changes/:id/approve", auth: "admin" },
  { method: "POST", route: "/v1/admin/source-changes/:id/reject", auth: "admin" },
  { method: "GET", route: "/v1/admin/datasets/:ocdId{.+}/versions", auth: "admin" },
  { method: "POST", route: "/v1/admin/datasets/:ocdId{.+}/versions/:versionId/approve", auth: "admin" },
  { method: "POST", route: "/v1/admin/datasets/:ocdId{.+}/versions/:versionId/reject", auth: "admin" },
  {
    method: "GET",
    route: "/v1/admin/datasets/:ocdId{.+}/diff",
    auth: "admin",
    query: {
      from: fc.oneof(fc.constantFrom("2026.1.0", "0.0.0"), hostileString),
      to: fc.oneof(fc.constantFrom("2026.1.0"), hostileString),
      asOf: dateLike,
      format: fc.constantFrom("json", "markdown", "html"),
    },
  },
  {
    method: "POST",
    route: "/v1/admin/overrides",
    auth: "admin",
    body: fc.record(
      {
        jurisdiction: fc.oneof(fc.constant("@fixture"), ocdLike),
        action: fc.constantFrom("replace", "add", "delete"),
        ruleId,
        rule: fc.oneof(
          fc.record(
            { severity: fc.constantFrom("major", "minor", "critical", "huge"), title: text("Keep logs") },
            { requiredKeys: [] },
          ),
          fc.record({
            id: ruleId,
            title: text("Keep logs"),
            citation: text("Fuzz Code § 1"),
            severity: fc.constantFrom("minor", "major"),
            verified: fc.boolean(),
            effectiveFrom: dateLike,
            topic: text("fuzz_topic"),
            composition: fc.constantFrom("additive", "replace"),
            requirement: fc.record({
              kind: fc.constantFrom("informational", "credential"),
              reason: text("Because."),
              action: text("Do it."),
            }),
          }),
          fc.dictionary(hostileString, hostileValue, { maxKeys: 3 }),
        ),
        reason: text("Emergency order"),
        effectiveFrom: dateLike,
        expiresAt: fc.oneof(fc.constantFrom("2099-01-01", "9999-12-31"), dateLike),
      },
      { requiredKeys: ["jurisdiction", "action", "ruleId", "rule", "reason", "expiresAt"] },
    ),
  },
  {
    method: "GET",
    route: "/v1/admin/overrides",
    auth: "admin",
    query: { jurisdiction: ocdLike, status: fc.constantFrom("pending", "approved", "nope") },
  },
  { method: "GET", route: "/v1/admin/overrides/:id", auth: "admin" },
  { method: "POST", route: "/v1/admin/overrides/:id/approve", auth: "admin" },
  { method: "POST", route: "/v1/admin/overrides/:id/reject", auth: "admin" },
  { method: "POST", route: "/v1/admin/overrides/:id/revoke", auth: "admin" },
  { method: "GET", route: "/v1/admin/dead-letters", auth: "admin" },
  {
    method: "GET",
    route: "/v1/admin/tenants/:tenantId/dead-letters",
    auth: "admin",
    query: { cursor: hostileString, limit: fc.constantFrom("1", "500", "501", "0", "abc") },
  },
  { method: "POST", route: "/v1/admin/tenants/:tenantId/dead-letters/:checkId/requeue", auth: "admin" },
  { method: "DELETE", route: "/v1/admin/tenants/:tenantId/dead-letters/:checkId", auth: "admin" },
  { method: "GET", route: "/v1/admin/slo", auth: "admin" },
  // Source watchers' review queue (ADR 0020): ids never name a real item (resolving one is shared state).
  {
    method: "GET",
    route: "/v1/admin/reviews",
    auth: "admin",
    query: {
      status: fc.constantFrom("open", "resolved", "pending", ""),
      cursor: fc.oneof(idOf("srv"), hostileString),
      limit: fc.constantFrom("1", "100", "101", "0", "-1", "abc"),
    },
  },
  {
    method: "POST",
    route: "/v1/admin/reviews/:id/resolve",
    auth: "admin",
    body: fc.oneof(
      fc.record(
        {
          resolution: fc.constant("dataset_version"),
          datasetVersionId: fc.oneof(idOf("dsv"), hostileString),
          note: text("Deadline updated."),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          resolution: fc.constantFrom("no_change_needed", "maybe"),
          note: fc.oneof(text("Wording only."), hostileString),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  // Regulatory change (issue 20): the impact preview, rule changes ahead.
  {
    method: "POST",
    route: "/v1/admin/impact",
    auth: "admin",
    body: fc.record(
      {
        jurisdiction: fc.oneof(fc.constant("@fixture"), ocdLike),
        dataset: fc.oneof(
          fc.record(
            {
              jurisdiction: fc.oneof(fc.constant("@fixture"), ocdLike),
              name: text("Fuzz Code"),
              version: fc.constantFrom("2026.1.0", "x", ""),
              disclaimer: text("Not legal advice."),
              source: fc.record({ publisher: text("Fuzz"), retrievedAt: dateLike }),
              rules: fc.array(fc.dictionary(hostileString, hostileValue, { maxKeys: 3 }), { maxLength: 3 }),
            },
            { requiredKeys: [] },
          ),
          fc.dictionary(hostileString, hostileValue, { maxKeys: 3 }),
        ),
        versionId: fc.oneof(idOf("dsv"), hostileString),
        overrideId: fc.oneof(idOf("ovr"), hostileString),
        asOf: dateLike,
      },
      { requiredKeys: ["jurisdiction"] },
    ),
  },
  {
    method: "GET",
    route: "/v1/admin/audit-log",
    auth: "admin",
    query: { format: fc.constantFrom("json", "csv", "xml"), ...page("aud") },
  },

  // Notifications (ADR 0015): webhook endpoints (API keys), preferences (sessions), unsubscribe (public).
  { method: "GET", route: "/v1/webhooks", auth: "key" },
  { method: "POST", route: "/v1/webhooks", auth: "key", body: webhookBody(["url", "events"]) },
  { method: "GET", route: "/v1/webhooks/:id", auth: "key" },
  { method: "PATCH", route: "/v1/webhooks/:id", auth: "key", body: webhookBody([]) },
  { method: "DELETE", route: "/v1/webhooks/:id", auth: "key" },
  {
    method: "POST",
    route: "/v1/webhooks/:id/secret/rotate",
    auth: "key",
    body: fc.record({ overlapSeconds: fc.oneof(fc.nat(700_000), hostileNumber) }, { requiredKeys: [] }),
  },
  { method: "POST", route: "/v1/webhooks/:id/test", auth: "key" },
  { method: "GET", route: "/v1/webhooks/:id/deliveries", auth: "key", query: page("dlv") },
  { method: "GET", route: "/v1/webhooks/:id/deliveries/:deliveryId", auth: "key" },
  { method: "POST", route: "/v1/webhooks/:id/deliveries/:deliveryId/replay", auth: "key" },
  { method: "GET", route: "/v1/notifications/preferences", auth: "session" },
  {
    method: "PUT",
    route: "/v1/notifications/preferences",
    auth: "session",
    body: fc.record(
      {
        events: arrayOf(notificationEvent, 20),
        channels: arrayOf(fc.constantFrom("email", "sms", "pigeon"), 5),
        facilityIds: fc.oneof(fc.constant(null), arrayOf(idOf("fac"), 1000)),
        delivery: fc.constantFrom("immediate", "digest", "hourly"),
        digestHour: fc.oneof(fc.integer({ min: -1, max: 24 }), hostileNumber),
        timeZone: fc.oneof(fc.constantFrom("UTC", "America/Chicago", "Mars/Olympus"), hostileString),
        urgentImmediately: fc.boolean(),
        quietHours: fc.oneof(
          fc.constant(null),
          fc.record(
            {
              from: fc.oneof(fc.constantFrom("21:00", "00:00", "23:59", "24:00", "9pm"), hostileString),
              to: fc.oneof(fc.constantFrom("08:00", "21:00", "07:60"), hostileString),
            },
            { requiredKeys: [] },
          ),
        ),
        urgentBreaksQuietHours: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  },
  { method: "GET", route: "/v1/notifications/unsubscribe", auth: "public", query: { token: hostileString } },
  { method: "POST", route: "/v1/notifications/unsubscribe", auth: "public", query: { token: hostileString } },
  // SMS (ADR 0021): the user's phone (sessions), Twilio's signed callbacks (public, form bodies).
  { method: "GET", route: "/v1/notifications/phone", auth: "session" },
  {
    method: "POST",
    route: "/v1/notifications/phone",
    auth: "session",
    body: fc.record({
      phone: fc.oneof(
        fc.constantFrom("+14155550123", "+442071838750", "+0123", "4155550123", "+1".padEnd(17, "5")),
        hostileString,
      ),
    }),
  },
  {
    method: "POST",
    route: "/v1/notifications/phone/verify",
    auth: "session",
    body: fc.record({
      code: fc.oneof(fc.constantFrom("123456", "12345", "1234567", "abcdef"), hostileString),
    }),
  },
  { method: "DELETE", route: "/v1/notifications/phone", auth: "session" },
  // Partners (ADR 0023): the partner API (bearer tokens), owners' grants and the consent screen.
  {
    method: "POST",
    route: "/v1/partner/tenants",
    auth: "partner",
    body: fc.record(
      {
        name: fc.oneof(fc.constant("Fuzzed Bakery"), hostileString),
        ownerEmail: email,
        states: arrayOf(fc.oneof(fc.constantFrom("CA", "TX", "ZZ", "ca"), hostileString), 70),
      },
      { requiredKeys: [] },
    ),
  },
  { method: "GET", route: "/v1/partner/tenants", auth: "partner", query: page("pgr") },
  {
    method: "GET",
    route: "/v1/partner/tenants/:tenantId/facilities",
    auth: "partner",
    query: {
      state: fc.constantFrom("CA", "ZZ"),
      status: fc.constantFrom("compliant", "bogus"),
      ...page("fac"),
    },
  },
  { method: "POST", route: "/v1/partner/tenants/:tenantId/facilities", auth: "partner", body: facility },
  {
    method: "POST",
    route: "/v1/partner/tenants/:tenantId/facilities/:id/checks",
    auth: "partner",
    query: { include },
    body: fc.record({ asOf }, { requiredKeys: [] }),
  },
  {
    method: "POST",
    route: "/v1/partner/webhooks",
    auth: "partner",
    body: fc.record(
      {
        url: fc.oneof(
          fc.constantFrom("http://127.0.0.1:9/x", "https://10.0.0.1/x", "ftp://x"),
          hostileString,
        ),
        events: arrayOf(notificationEvent, 5),
      },
      { requiredKeys: [] },
    ),
  },
  { method: "GET", route: "/v1/partner/webhooks", auth: "partner" },
  { method: "DELETE", route: "/v1/partner/webhooks/:id", auth: "partner" },
  { method: "GET", route: "/v1/partner-grants", auth: "session" },
  { method: "POST", route: "/v1/partner-grants/:id/consent", auth: "session" },
  { method: "DELETE", route: "/v1/partner-grants/:id", auth: "session" },
  { method: "GET", route: "/v1/partner-consent", auth: "session", query: consentQuery },
  {
    method: "POST",
    route: "/v1/partner-consent",
    auth: "session",
    body: fc.record(consentQuery, { requiredKeys: [] }),
  },
  {
    method: "POST",
    route: "/v1/notifications/sms/status",
    auth: "public",
    query: { tenant: fc.oneof(idOf("ten"), hostileString), delivery: fc.oneof(idOf("dlv"), hostileString) },
    body: fc.record({ MessageSid: hostileString, MessageStatus: fc.constantFrom("delivered", "failed") }),
  },
  {
    method: "POST",
    route: "/v1/notifications/sms/inbound",
    auth: "public",
    body: fc.record({ From: hostileString, Body: fc.constantFrom("STOP", "START", "hello") }),
  },
];

export const routeLabel = (spec: Pick<RouteSpec, "method" | "route">) => `${spec.method} ${spec.route}`;

/**
 * The real value of a path parameter, or null for ids that must never name a real thing here
 * (approving a real override or dataset version would change every tenant's checks).
 */
function realParam(name: string, fixture: Fixture): { real: string | null; prefix: string | null } {
  switch (name) {
    case "id":
      return { real: null, prefix: null }; // decided by the route below
    case "ocdId":
      return { real: fixture.ocdId, prefix: null };
    case "tenantId":
      return { real: fixture.tenantId, prefix: "ten" };
    case "checkId":
      return { real: fixture.checkId, prefix: "chk" };
    case "versionId":
      return { real: null, prefix: "dsv" };
    case "runId":
      return { real: null, prefix: "run" };
    case "sessionId":
      return { real: null, prefix: "ses" };
    case "deliveryId":
      return { real: null, prefix: "dlv" };
    default:
      return { real: null, prefix: null };
  }
}

/** The id a route's `:id` names in the fixture, and its prefix. */
function idParam(route: string, fixture: Fixture): { real: string | null; prefix: string } {
  if (route.startsWith("/v1/keys")) return { real: fixture.keyId, prefix: "key" };
  if (route.startsWith("/v1/checks")) return { real: fixture.checkId, prefix: "chk" };
  if (route.startsWith("/v1/facilities")) return { real: fixture.facilityId, prefix: "fac" };
  if (route.startsWith("/v1/alerts")) return { real: fixture.alertId, prefix: "alr" };
  if (route.startsWith("/v1/groups")) return { real: fixture.groupId, prefix: "grp" };
  if (route.startsWith("/v1/webhooks")) return { real: null, prefix: "whk" };
  if (route.startsWith("/v1/users")) return { real: fixture.userId, prefix: "usr" };
  if (route.startsWith("/v1/invites")) return { real: fixture.inviteId, prefix: "inv" };
  if (route.startsWith("/v1/exports")) return { real: null, prefix: "exp" };
  if (route.startsWith("/v1/admin/overrides")) return { real: null, prefix: "ovr" };
  if (route.startsWith("/v1/admin/source-changes")) return { real: null, prefix: "dsc" };
  if (route.startsWith("/v1/admin/reviews")) return { real: null, prefix: "srv" };
  if (route.startsWith("/v1/partner-grants")) return { real: null, prefix: "pgr" };
  if (route.startsWith("/v1/partner/tenants")) return { real: fixture.facilityId, prefix: "fac" };
  if (route.startsWith("/v1/partner/webhooks")) return { real: null, prefix: "pwh" };
  return { real: null, prefix: "x" };
}

/** The path of a route with hostile or real parameters. */
function hostilePath(spec: RouteSpec, fixture: Fixture): fc.Arbitrary<string> {
  const parts = spec.route.split("/").map((part): fc.Arbitrary<string> => {
    const m = /^:(\w+)(\{[^}]*\})?$/.exec(part);
    if (!m) return fc.constant(part);
    const name = m[1] as string;
    const { real, prefix } = name === "id" ? idParam(spec.route, fixture) : realParam(name, fixture);
    if (real === null)
      return prefix
        ? fc.oneof({ weight: 2, arbitrary: idOf(prefix) }, { weight: 1, arbitrary: hostileComponent })
        : hostileComponent;
    if (name === "ocdId")
      return fc.oneof(
        { weight: 3, arbitrary: fc.constant(encodeURIComponent(real)) },
        { weight: 1, arbitrary: fc.constant(real) },
        { weight: 2, arbitrary: hostileComponent },
      );
    return pathParam(real, prefix);
  });
  return fc.tuple(...parts).map((segments) => segments.join("/"));
}

/** Hostile requests for one route, against the fixture's resources. */
export function hostileRequests(spec: RouteSpec, fixture: Fixture): fc.Arbitrary<HostileRequest> {
  const idempotencyKey = fc.option(
    fc.oneof(
      fc.uuid(),
      hostileString.filter((s) => /^[\x20-\x7e]*$/.test(s)),
    ),
    { freq: 4 },
  );
  const body =
    spec.body === undefined
      ? fc.option(hostileBody(hostileValue), { freq: 4 })
      : hostileBody(
          spec.body.map((b) =>
            b !== null &&
            typeof b === "object" &&
            (b as { jurisdiction?: unknown }).jurisdiction === "@fixture"
              ? { ...b, jurisdiction: fixture.ocdId }
              : b,
          ),
        );
  return fc
    .tuple(hostilePath(spec, fixture), hostileQuery(spec.query ?? none), body, idempotencyKey)
    .map(([path, query, body, key]) => {
      const headers: Record<string, string> = {};
      if (key !== null && spec.method === "POST") headers["idempotency-key"] = key;
      return { method: spec.method, url: `${path}${query}`, ...(body ? { body } : {}), headers };
    })
    .filter((request) => spec.sendable?.(request) ?? true);
}

/** Builds the fetch init of a request (headers and body; auth is the runner's). */
export function requestInit(request: HostileRequest, auth: Record<string, string>): RequestInit {
  const headers = new Headers(auth);
  for (const [name, value] of Object.entries(request.headers)) headers.set(name, value);
  const init: RequestInit = { method: request.method, headers };
  if (request.body && request.method !== "GET") {
    if (request.body.contentType !== null) headers.set("content-type", request.body.contentType);
    init.body = request.body.text;
  }
  return init;
}

/** A short, printable description of a request for failure reports. */
export function describeRequest(request: HostileRequest): string {
  const body = request.body
    ? ` ${request.body.contentType ?? "(no content-type)"} ${JSON.stringify(request.body.text.slice(0, 300))}${request.body.text.length > 300 ? `… (${request.body.text.length} chars)` : ""}`
    : "";
  return `${request.method} ${request.url.slice(0, 300)}${body}`;
}
