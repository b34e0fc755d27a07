/**
 * Retry backoff for failed refreshes: 30 min after the first failure, doubling, capped at
 * 12 h — so a broken upstream is retried by the hourly job without hammering it, and a
 * dataset is never left more than half a day without another try.
 */
const BASE_MS = 30 * 60 * 1000;
const CAP_MS = 12 * 60 * 60 * 1000;

/** When to retry after the `failures`-th consecutive failure (1 = the first). */
export function nextAttemptAt(failures: number, now: Date): Date {
  const delay = Math.min(BASE_MS * 2 ** Math.max(0, failures - 1), CAP_MS);
  return new Date(now.getTime() + delay);
}
