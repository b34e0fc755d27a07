// The source watchers' review queue over HTTP: newest first with cursor paging and a status
// filter; resolving needs a note and, for a dataset change, a version of a dataset citing the
// source; an unknown item is a 404 problem, a second resolve a 409; the item's low-urgency
// incident is resolved after the answer.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openIncident } from "../../../db/incidents";
import { reviewDedupKey } from "../../../pipeline/watchers";
import { call, expectProblem, workerDb } from "../../../test/helpers";
import { newAdmin } from "../../../test/pipeline";
import { openReviewItem } from "../../../test/regulators";

type Review = { id: string; status: string; rules: string[]; diff: string; datasets: string[] };
type ReviewPage = { data: Review[]; nextCursor: string | null };

const resolve = (id: string, key: string, json: unknown) =>
  call(`/v1/admin/reviews/${id}/resolve`, { method: "POST", key, json });

describe("the review queue", () => {
  it("pages open items newest first, resolves one with the version that addressed it, and only once", async () => {
    const admin = await newAdmin();
    const older = await openReviewItem();
    const newer = await openReviewItem();

    const first = (await (
      await call("/v1/admin/reviews?status=open&limit=1", { key: admin.key })
    ).json()) as ReviewPage;
    expect(first.data).toHaveLength(1);
    expect(first.nextCursor).toBe(first.data[0]?.id);
    // Newest first: the item opened last is on the first page (other files may add newer ones).
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (
        await call(`/v1/admin/reviews?status=open&limit=100${cursor ? `&cursor=${cursor}` : ""}`, {
          key: admin.key,
        })
      ).json()) as ReviewPage;
      ids.push(...page.data.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids.indexOf(newer.reviewId)).toBeLessThan(ids.indexOf(older.reviewId));
    expect([...ids].sort().reverse()).toEqual(ids);
    const item = (await (
      await call("/v1/admin/reviews?status=open&limit=100", { key: admin.key })
    ).json()) as ReviewPage;
    expect(item.data.find((r) => r.id === older.reviewId)).toMatchObject({
      status: "open",
      rules: ["ZZ-INFO"],
      datasets: [older.jurisdiction],
      diff: expect.stringContaining("+Hot holding at 140 °F or above."),
    });

    await expectProblem(
      await resolve(older.reviewId, admin.key, { resolution: "no_change_needed", note: "  " }),
      422,
      "validation_failed",
    );
    await expectProblem(
      await resolve(older.reviewId, admin.key, {
        resolution: "dataset_version",
        datasetVersionId: "dsv_00000000000000000000000000",
        note: "Updated.",
      }),
      422,
      "validation_failed",
    );
    await expectProblem(
      await resolve("srv_00000000000000000000000000", admin.key, {
        resolution: "no_change_needed",
        note: "x",
      }),
      404,
      "not_found",
    );
    const done = await resolve(older.reviewId, admin.key, {
      resolution: "dataset_version",
      datasetVersionId: older.versionId,
      note: "Hot-holding limit updated.",
    });
    expect(done.status).toBe(200);
    await expectProblem(
      await resolve(older.reviewId, admin.key, { resolution: "no_change_needed", note: "Again." }),
      409,
      "conflict",
    );

    const resolved = (await (
      await call("/v1/admin/reviews?status=resolved&limit=100", { key: admin.key })
    ).json()) as ReviewPage;
    expect(resolved.data.map((r) => r.id)).toContain(older.reviewId);
    const open = (await (
      await call("/v1/admin/reviews?status=open&limit=100", { key: admin.key })
    ).json()) as ReviewPage;
    expect(open.data.map((r) => r.id)).not.toContain(older.reviewId);
    await expectProblem(
      await call("/v1/admin/reviews?status=pending", { key: admin.key }),
      422,
      "validation_failed",
    );

    // The item's incident (opened by the watchers' run) is resolved after the answer.
    const handle = workerDb();
    try {
      const key = reviewDedupKey(env.PREP_ENV, older.reviewId);
      await expect.poll(() => openIncident(handle.db, key), { timeout: 5_000 }).toBe(false);
      expect(await openIncident(handle.db, reviewDedupKey(env.PREP_ENV, newer.reviewId))).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
