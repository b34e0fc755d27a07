// A national chain's export: the PDF report is split into parts (here one location per part,
// set through EVIDENCE_PDF_LOCATIONS_PER_PART so three locations make three parts), each
// rendered in its own alarm run and saved before the next, and the signed manifest covers them
// all. Each part says which part it is and carries the export's content digest.
import { env } from "cloudflare:workers";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyBundle } from "../../../evidence/manifest";
import { downloadBundle, type ExportView, flushChecks, runExport } from "../../../test/evidence";
import { sfRestaurant } from "../../../test/fixtures";
import { call, newTenant } from "../../../test/helpers";

const mutableEnv = env as unknown as Record<string, string | undefined>;
const PARTS = ["report-01-of-03.pdf", "report-02-of-03.pdf", "report-03-of-03.pdf"];

let view: ExportView;
let bundle: Map<string, Uint8Array>;
const names = ["Part One Kitchen", "Part Two Kitchen", "Part Three Kitchen"];

beforeAll(async () => {
  mutableEnv.EVIDENCE_PDF_LOCATIONS_PER_PART = "1";
  const owner = await newTenant("Chain Of Three");
  const facilityIds: string[] = [];
  for (const name of names) {
    const created = await call("/v1/facilities", {
      method: "POST",
      key: owner.key,
      json: sfRestaurant({ name }),
    });
    expect(created.status).toBe(201);
    facilityIds.push(((await created.json()) as { id: string }).id);
  }
  await flushChecks(owner.tenantId);
  const queued = await call("/v1/exports", { method: "POST", key: owner.key, json: { facilityIds } });
  expect(queued.status).toBe(202);
  view = await runExport(owner.tenantId, owner.key, ((await queued.json()) as { id: string }).id);
  expect(view.error).toBeNull();
  bundle = await downloadBundle(owner.key, view);
}, 120_000);

afterAll(() => {
  delete mutableEnv.EVIDENCE_PDF_LOCATIONS_PER_PART;
});

describe("an export larger than one report part", () => {
  it("lists one PDF per part and no single report.pdf", () => {
    const pdfs = view.files.filter((file) => file.contentType === "application/pdf").map((file) => file.name);
    expect(pdfs).toEqual(PARTS);
  });

  it("says in each part which part it is and which locations it holds, with the content digest", async () => {
    const manifest = JSON.parse(new TextDecoder().decode(bundle.get("manifest.json"))) as {
      contentDigest: string;
    };
    for (const [index, part] of PARTS.entries()) {
      const pdf = await getDocumentProxy(Uint8Array.from(bundle.get(part) as Uint8Array));
      const { text } = await extractText(pdf, { mergePages: true });
      expect(text).toContain(`Part ${index + 1} of 3: locations ${index + 1}–${index + 1}`);
      expect(text).toContain("Locations: 3");
      expect(text).toContain(names[index]);
      for (const other of names.filter((_, i) => i !== index)) expect(text).not.toContain(other);
      expect(text.replace(/\s+/g, "")).toContain(manifest.contentDigest);
    }
  });

  it("verifies as a whole, and fails when a part changes", async () => {
    const jwks = (await (await call("/.well-known/jwks.json")).json()) as { keys: unknown[] };
    expect((await verifyBundle(bundle, jwks)).ok).toBe(true);
    const tampered = new Map(bundle);
    const bytes = Uint8Array.from(bundle.get(PARTS[1] as string) as Uint8Array);
    bytes[100] = (bytes[100] as number) ^ 1;
    tampered.set(PARTS[1] as string, bytes);
    const result = await verifyBundle(tampered, jwks);
    expect(result.failures).toEqual([{ file: PARTS[1], reason: expect.stringMatching(/SHA-256/) }]);
  });
});
