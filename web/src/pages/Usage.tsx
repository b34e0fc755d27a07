/**
 * Usage: billable checks per day over the last 30 days, as an accessible bar chart (an SVG
 * with a text summary and the numbers in a table for screen readers).
 */
import type { Usage as UsageBody } from "../api/types";
import { Empty, ErrorNotice, Loading } from "../components/ui";
import { formatDate } from "../format";
import { useResource } from "../hooks/useResource";

const WIDTH = 720;
const HEIGHT = 200;

export function Usage() {
  const usage = useResource<UsageBody>("/v1/usage?granularity=day");
  if (usage.loading) return <Loading what="usage" />;
  if (usage.error || !usage.data)
    return usage.error ? <ErrorNotice error={usage.error} retry={usage.reload} /> : null;
  const { series, total } = usage.data;
  const max = Math.max(1, ...series.map((d) => d.count));
  const bar = WIDTH / Math.max(1, series.length);
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
          <svg
            viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`}
            role="img"
            aria-label={`Checks per day, most ${max} in one day`}
            class="chart"
          >
            {series.map((d, i) => {
              const h = (d.count / max) * HEIGHT;
              return (
                <rect key={d.start} x={i * bar + 1} y={HEIGHT - h} width={Math.max(1, bar - 2)} height={h}>
                  <title>
                    {formatDate(d.start)}: {d.count}
                  </title>
                </rect>
              );
            })}
            <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} />
          </svg>
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
