/**
 * Usage: billable checks per day over the last 30 days, as an accessible bar chart (an SVG
 * with a text summary and the numbers in a table for screen readers).
 */
import type { Usage as UsageBody } from "../api/types";
import { DailyChart } from "../components/DailyChart";
import { Empty, ErrorNotice, Loading } from "../components/ui";
import { formatDate } from "../format";
import { useResource } from "../hooks/useResource";

export function Usage() {
  const usage = useResource<UsageBody>("/v1/usage?granularity=day");
  if (usage.loading) return <Loading what="usage" />;
  if (usage.error || !usage.data)
    return usage.error ? <ErrorNotice error={usage.error} retry={usage.reload} /> : null;
  const { series, total } = usage.data;
  return (
    <>
      <h1>Usage</h1>
      <p>
        <strong>{total.toLocaleString()}</strong> billable checks from {formatDate(usage.data.from)} to{" "}
        {formatDate(usage.data.to)}.
      </p>
      {total === 0 ? (
        <Empty title="No checks in the last 30 days.">
          <p>Checks run from the app or through the API are counted here, per day.</p>
        </Empty>
      ) : (
        <figure>
          <DailyChart days={series} label="Checks per day" />
          <figcaption class="muted">Checks per day (UTC). Hover a bar for its count.</figcaption>
        </figure>
      )}
      <details>
        <summary>Numbers per day</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Checks</th>
            </tr>
          </thead>
          <tbody>
            {series.map((d) => (
              <tr key={d.start}>
                <td>{formatDate(d.start)}</td>
                <td>{d.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
