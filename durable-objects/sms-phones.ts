/**
 * Each user's phone number for SMS (ADR 0021), verified by a 6-digit code before anything is
 * sent to it. The code is kept only as an HMAC (SESSION_SECRET, bound to the user and the
 * number), expires after 10 minutes, allows 5 wrong guesses, and at most 5 codes go out per
 * user per hour, 30 s apart. A verified number stays in use while a new one waits for its code.
 */
import type { PhoneNumberState } from "../notifications/contract";
import { hmac } from "../runtime/hmac";

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;
export const CODES_PER_HOUR = 5;
export const MIN_CODE_INTERVAL_MS = 30_000;

type PhoneRow = {
  user_id: string;
  phone: string | null;
  verified_ms: number | null;
  pending_phone: string | null;
  code_hash: string | null;
  code_expires_ms: number | null;
  code_attempts: number;
  window_start_ms: number | null;
  sent_in_window: number;
  last_sent_ms: number | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Six digits, uniformly (rejection sampling: no modulo bias). */
function newCode(): string {
  const buffer = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buffer);
    const value = buffer[0] as number;
    if (value < 4_294_000_000) return String(value % 1_000_000).padStart(6, "0");
  }
}

function timingSafeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export type StartVerification =
  | { ok: true; code: string; expiresAt: string }
  | { ok: false; retryAfterSeconds: number };

export type VerifyOutcome =
  | { ok: true; state: PhoneNumberState }
  | {
      ok: false;
      reason: "no_pending_code" | "code_expired" | "too_many_attempts" | "wrong_code";
      attemptsLeft: number;
    };

export class SmsPhones {
  constructor(
    private readonly sql: SqlStorage,
    private readonly secret: () => string,
  ) {}

  private row(userId: string): PhoneRow | undefined {
    return this.sql.exec<PhoneRow>("SELECT * FROM sms_phones WHERE user_id = ?", userId).toArray()[0];
  }

  state(userId: string, nowMs: number): PhoneNumberState {
    const row = this.row(userId);
    const pending = row?.pending_phone && (row.code_expires_ms ?? 0) > nowMs ? row : null;
    return {
      phone: row?.phone ?? null,
      verifiedAt: iso(row?.verified_ms ?? null),
      pendingPhone: pending?.pending_phone ?? null,
      codeExpiresAt: iso(pending?.code_expires_ms ?? null),
    };
  }

  /** The number SMS goes to, once verified. */
  verified(userId: string): string | null {
    return this.row(userId)?.phone ?? null;
  }

  private async hash(userId: string, phone: string, code: string): Promise<string> {
    const mac = await hmac("SHA-256", this.secret(), `sms-code\n${userId}\n${phone}\n${code}`);
    return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  /**
   * A new code for `phone` (replacing any code waiting), unless the send limit says wait.
   * The caller texts the code; it is stored only as an HMAC.
   */
  async start(userId: string, phone: string, nowMs: number): Promise<StartVerification> {
    // Hashed first: from reading the limits to storing the code nothing awaits, so two
    // requests at once cannot both pass the send limit.
    const code = newCode();
    const codeHash = await this.hash(userId, phone, code);
    const row = this.row(userId);
    const windowStart =
      row?.window_start_ms !== null &&
      row?.window_start_ms !== undefined &&
      nowMs - row.window_start_ms < 3_600_000
        ? row.window_start_ms
        : nowMs;
    const sent = windowStart === row?.window_start_ms ? row.sent_in_window : 0;
    if (row?.last_sent_ms && nowMs - row.last_sent_ms < MIN_CODE_INTERVAL_MS)
      return {
        ok: false,
        retryAfterSeconds: Math.ceil((row.last_sent_ms + MIN_CODE_INTERVAL_MS - nowMs) / 1000),
      };
    if (sent >= CODES_PER_HOUR)
      return { ok: false, retryAfterSeconds: Math.ceil((windowStart + 3_600_000 - nowMs) / 1000) };
    const expires = nowMs + CODE_TTL_MS;
    this.sql.exec(
      `INSERT INTO sms_phones (user_id, pending_phone, code_hash, code_expires_ms, code_attempts, window_start_ms, sent_in_window, last_sent_ms)
       VALUES (?, ?, ?, ?, 0, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET pending_phone = excluded.pending_phone, code_hash = excluded.code_hash,
         code_expires_ms = excluded.code_expires_ms, code_attempts = 0, window_start_ms = excluded.window_start_ms,
         sent_in_window = excluded.sent_in_window, last_sent_ms = excluded.last_sent_ms`,
      userId,
      phone,
      codeHash,
      expires,
      windowStart,
      sent + 1,
      nowMs,
    );
    return { ok: true, code, expiresAt: iso(expires) as string };
  }

  /** Checks a code: right → the pending number becomes the verified one. */
  async verify(userId: string, code: string, nowMs: number): Promise<VerifyOutcome> {
    const row = this.row(userId);
    if (!row?.pending_phone || !row.code_hash)
      return { ok: false, reason: "no_pending_code", attemptsLeft: 0 };
    if ((row.code_expires_ms ?? 0) <= nowMs) return { ok: false, reason: "code_expired", attemptsLeft: 0 };
    if (row.code_attempts >= MAX_CODE_ATTEMPTS)
      return { ok: false, reason: "too_many_attempts", attemptsLeft: 0 };
    const hash = await this.hash(userId, row.pending_phone, code);
    // Re-read after the await: another request may have used or replaced the code meanwhile.
    const current = this.row(userId);
    if (current?.code_hash !== row.code_hash)
      return { ok: false, reason: "no_pending_code", attemptsLeft: 0 };
    if (!timingSafeEqualHex(hash, row.code_hash)) {
      this.sql.exec("UPDATE sms_phones SET code_attempts = code_attempts + 1 WHERE user_id = ?", userId);
      const left = MAX_CODE_ATTEMPTS - row.code_attempts - 1;
      return left > 0
        ? { ok: false, reason: "wrong_code", attemptsLeft: left }
        : { ok: false, reason: "too_many_attempts", attemptsLeft: 0 };
    }
    this.sql.exec(
      `UPDATE sms_phones SET phone = pending_phone, verified_ms = ?, pending_phone = NULL, code_hash = NULL,
         code_expires_ms = NULL, code_attempts = 0 WHERE user_id = ?`,
      nowMs,
      userId,
    );
    return { ok: true, state: this.state(userId, nowMs) };
  }

  /** Forgets the user's number (verified and pending); the send limit's count stays. */
  remove(userId: string): boolean {
    const row = this.row(userId);
    if (!row || (!row.phone && !row.pending_phone)) return false;
    this.sql.exec(
      `UPDATE sms_phones SET phone = NULL, verified_ms = NULL, pending_phone = NULL, code_hash = NULL,
         code_expires_ms = NULL, code_attempts = 0 WHERE user_id = ?`,
      userId,
    );
    return true;
  }
}
