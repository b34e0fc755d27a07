/**
 * An expiry date said as it stands today ("expired 3 days ago (…)", "expires in 12 days (…)"),
 * marked overdue once past; "no expiry" without a date.
 */
import { daysUntil, expiryPhrase } from "../../format";

export function Expiry({ date, now }: { date: string | null | undefined; now?: string }) {
  if (!date) return <>no expiry</>;
  return (
    <time dateTime={date} class={daysUntil(date, now) < 0 ? "overdue" : undefined}>
      {expiryPhrase(date, now)}
    </time>
  );
}
