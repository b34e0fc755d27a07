/**
 * Source reviews, for Prep's platform admins (not tenants): the official texts whose change
 * the source watchers found, with the diff, the source and the rules citing it; resolve one
 * with the dataset version that addressed it, or "no change needed". The admin API takes a
 * platform admin key (prep_admin_…), never a session: the key is asked for here and kept in
 * this page's memory only (gone on reload). docs/data-pipeline.md "Source watchers".
 */
import { useEffect, useState } from "preact/hooks";
import { ApiError, api } from "../api/client";
import type { SourceReview } from "../api/types";
import { Empty, ErrorNotice, Field, formValues, Loading } from "../components/ui";
import { formatDateTime } from "../format";
import { useSubmit } from "../hooks/useSubmit";

interface ReviewPage {
  data: SourceReview[];
  nextCursor: string | null;
}

/** Each line of a unified diff with its kind, for colour and screen readers alike. */
function DiffView({ diff }: { diff: string }) {
  const lines = diff.replace(/\n$/, "").split("\n");
  return (
    <figure>
      <figcaption class="sr-only">Changes in the source's text</figcaption>
      <pre class="diff">
        {lines.map((line, i) => {
          const kind =
            line.startsWith("+++") || line.startsWith("---")
              ? "diff-file"
              : line.startsWith("@@")
                ? "diff-hunk"
                : line.startsWith("+")
                  ? "diff-add"
                  : line.startsWith("-")
                    ? "diff-del"
                    : "diff-same";
          return (
            <span key={i} class={kind}>
              {kind === "diff-add" && <span class="sr-only">Added: </span>}
              {kind === "diff-del" && <span class="sr-only">Removed: </span>}
              {line}
              {"\n"}
            </span>
          );
        })}
      </pre>
    </figure>
  );
}

/** One review item, the key that may resolve it, and what to do once it is resolved. */
interface ReviewProps {
  review: SourceReview;
  adminKey: string;
  onResolved(): void;
}

function ResolveForm({ review, adminKey, onResolved }: ReviewProps) {
  const [resolution, setResolution] = useState<"dataset_version" | "no_change_needed">("no_change_needed");
  const resolve = useSubmit(async (values: Record<string, string>) => {
    const body =
      resolution === "dataset_version"
        ? { resolution, datasetVersionId: values.datasetVersionId, note: values.note }
        : { resolution, note: values.note };
    await api(`/v1/admin/reviews/${review.id}/resolve`, { method: "POST", body, bearer: adminKey });
    onResolved();
  });
  const id = (name: string) => `${name}-${review.id}`;
  return (
    <form
      class="form"
      aria-label={`Resolve the review of ${review.source.title}`}
      onSubmit={(e) => resolve.run(formValues(e))}
    >
      <div class="field">
        <label for={id("resolution")}>Outcome</label>
        <select
          id={id("resolution")}
          name="resolution"
          value={resolution}
          onChange={(e) => setResolution((e.currentTarget as HTMLSelectElement).value as typeof resolution)}
        >
          <option value="no_change_needed">No change needed</option>
          <option value="dataset_version">A dataset version addressed it</option>
        </select>
      </div>
      {resolution === "dataset_version" && (
        <Field
          label="Dataset version"
          name="datasetVersionId"
          id={id("version")}
          required
          placeholder="dsv_…"
          hint={`A version of ${review.datasets.join(", ")}`}
          error={resolve.error?.fieldError("/datasetVersionId")}
        />
      )}
      <div class="field">
        <label for={id("note")}>Note</label>
        <textarea id={id("note")} name="note" required maxLength={2000} rows={2} />
        {resolve.error?.fieldError("/note") && <p class="field-error">{resolve.error.fieldError("/note")}</p>}
      </div>
      {resolve.error && !resolve.error.problem.errors?.length && <ErrorNotice error={resolve.error} />}
      <button class="button primary" type="submit" disabled={resolve.pending}>
        Resolve
      </button>
    </form>
  );
}

function Review({ review, adminKey, onResolved }: ReviewProps) {
  return (
    <section class="card review" aria-labelledby={`rv-${review.id}`}>
      <h2 id={`rv-${review.id}`}>{review.source.title}</h2>
      <p>
        {review.overdue && <span class="badge badge-non_compliant">Past the 72 h review SLA</span>} Opened{" "}
        {formatDateTime(review.openedAt)}
        {review.changes > 1 && ` · ${review.changes} changes since`} ·{" "}
        <a href={review.source.url} target="_blank" rel="noreferrer noopener">
          the official text
        </a>{" "}
        <span class="muted">({review.source.kind})</span>
      </p>
      <p>
        Datasets: {review.datasets.join(", ")}
        <br />
        Rules citing it:{" "}
        {review.rules.length > 0 ? review.rules.join(", ") : "none yet (watched for context)"}
      </p>
      <DiffView diff={review.diff} />
      <ResolveForm review={review} adminKey={adminKey} onResolved={onResolved} />
    </section>
  );
}

export function PlatformReviews() {
  const [adminKey, setAdminKey] = useState("");
  const [pages, setPages] = useState<ReviewPage[]>([]);
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(false);
  const [resolved, setResolved] = useState<string[]>([]);

  const load = async (key: string, cursor?: string) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await api<ReviewPage>(
        `/v1/admin/reviews?status=open&limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { bearer: key },
      );
      setPages((previous) => (cursor ? [...previous, page] : [page]));
    } catch (e) {
      setError(e instanceof ApiError ? e : undefined);
      if (!cursor) setPages([]);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    document.title = "Source reviews · Prep";
  }, []);

  const reviews = pages.flatMap((p) => p.data).filter((r) => !resolved.includes(r.id));
  const nextCursor = pages.at(-1)?.nextCursor ?? null;
  return (
    <main id="main" class="platform">
      <h1>Source reviews</h1>
      <p class="muted">
        Changes the source watchers found in the official texts Prep's datasets come from. Each waits for a
        reviewer: update the dataset (and name its version) or say no change is needed. Open longer than 72 h,
        an item makes the datasets it cites count as stale.
      </p>
      <form
        class="inline-form"
        aria-label="Sign in to the review queue"
        onSubmit={(e) => {
          const key = formValues(e).adminKey?.trim() ?? "";
          setAdminKey(key);
          setResolved([]);
          void load(key);
        }}
      >
        <Field
          label="Platform admin key"
          name="adminKey"
          type="password"
          autoComplete="off"
          required
          hint="prep_admin_… (kept in this page only)"
        />
        <button class="button primary" type="submit" disabled={loading}>
          Show open reviews
        </button>
      </form>
      {loading && <Loading what="reviews" />}
      {error && <ErrorNotice error={error} retry={() => void load(adminKey)} />}
      {resolved.length > 0 && (
        <p class="notice notice-success" role="status">
          Resolved {resolved.length} review{resolved.length > 1 ? "s" : ""}.
        </p>
      )}
      {!loading && !error && pages.length > 0 && reviews.length === 0 && (
        <Empty title="No open reviews.">
          <p>When a watched source changes, its review appears here.</p>
        </Empty>
      )}
      {reviews.map((review) => (
        <Review
          key={review.id}
          review={review}
          adminKey={adminKey}
          onResolved={() => setResolved((ids) => [...ids, review.id])}
        />
      ))}
      {nextCursor && (
        <button
          class="button"
          type="button"
          disabled={loading}
          onClick={() => void load(adminKey, nextCursor)}
        >
          Older reviews
        </button>
      )}
    </main>
  );
}
