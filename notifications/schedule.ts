/**
 * When a failed delivery is tried again, per channel. A webhook receiver may be down for a
 * weekend, so its schedule spans about three days (the Standard Webhooks guidance); email and
 * SMS providers recover in minutes to hours, so theirs is shorter. After the last delay the
 * delivery fails for good (and a webhook endpoint failing throughout is disabled).
 */
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export type Channel = "webhook" | "email" | "sms";

/** Delay before attempt n+1 after n failed attempts: index n-1. */
export const RETRY_DELAYS_MS: Readonly<Record<Channel, readonly number[]>> = {
  // 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 20 h: 71.6 h ≈ 3 days, 10 attempts.
  webhook: [
    5 * SECOND,
    5 * MINUTE,
    30 * MINUTE,
    2 * HOUR,
    5 * HOUR,
    10 * HOUR,
    14 * HOUR,
    20 * HOUR,
    20 * HOUR,
  ],
  // 5 s … 8 h: about 14 h, 9 attempts.
  email: [5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 4 * HOUR, 8 * HOUR],
  sms: [5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 4 * HOUR, 8 * HOUR],
};

/** A little jitter (±10%), so many deliveries that failed together do not retry together. */
function jitter(delay: number, random: () => number): number {
  return Math.round(delay * (0.9 + 0.2 * random()));
}

/** When to try again after `failedAttempts` failures, or null when the schedule is spent. */
export function nextAttemptAt(
  channel: Channel,
  failedAttempts: number,
  nowMs: number,
  random: () => number = Math.random,
): number | null {
  const delay = RETRY_DELAYS_MS[channel][failedAttempts - 1];
  return delay === undefined ? null : nowMs + jitter(delay, random);
}
