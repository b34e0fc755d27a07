/**
 * Prefixed, time-sortable identifiers (`fac_01JD…`, `chk_01JD…`, `key_01JD…`).
 *
 * The body is a ULID: 48 bits of milliseconds then 80 random bits, in Crockford base32, so
 * ids sort by creation time (cursor pagination relies on it) and never collide in practice.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export type IdPrefix =
  | "ten"
  | "usr"
  | "key"
  | "fac"
  | "chk"
  | "dsv"
  | "aud"
  | "alr"
  | "prm"
  | "stf"
  | "crd"
  | "ins"
  | "tlg"
  | "inv"
  | "grp"
  | "run"
  | "rat"
  | "adm"
  | "ovr"
  | "dsc"
  | "ses"
  | "pwr"
  | "sgn"
  | "inc"
  // Notifications (ADR 0015): webhook endpoints, deliveries, events.
  | "whk"
  | "dlv"
  | "evt"
  // Evidence vault (db/evidence.ts): exports, auditor share links, their access log.
  | "exp"
  | "shr"
  | "sac"
  // Rule-change notices (durable-objects/rule-changes.ts).
  | "rcn"
  // Source watchers' review items (db/source-reviews.ts).
  | "srv"
  // Partners (db/partners.ts, ADR 0023): partners, their OAuth clients, grants, webhook endpoints.
  | "prt"
  | "pcl"
  | "pgr"
  | "pwh";

export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = "";
  let ms = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let random = "";
  for (const byte of bytes) random += ALPHABET[byte % 32];
  return `${prefix}_${time}${random}`;
}
