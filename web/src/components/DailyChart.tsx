/**
 * Checks per day as an SVG bar chart: one bar per day, each with its date and count as a
 * tooltip (the Usage and Billing pages).
 */
import { formatDate } from "../format";

const WIDTH = 720;

export function DailyChart({
  days,
  label,
  height = 200,
}: {
  days: readonly { start: string; count: number }[];
  /** What the chart shows, for screen readers; the busiest day's count is added. */
  label: string;
  height?: number;
}) {
  const max = Math.max(1, ...days.map((d) => d.count));
  const bar = WIDTH / Math.max(1, days.length);
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${height + 10}`}
      role="img"
      aria-label={`${label}, most ${max} in one day`}
      class="chart"
    >
      {days.map((d, i) => {
        const h = (d.count / max) * height;
        return (
          <rect key={d.start} x={i * bar + 1} y={height - h} width={Math.max(1, bar - 2)} height={h}>
            <title>
              {formatDate(d.start)}: {d.count}
            </title>
          </rect>
        );
      })}
      <line x1="0" y1={height} x2={WIDTH} y2={height} />
    </svg>
  );
}
