// The hashing upload against Miniflare's R2: a file past one part goes up in 5 MiB parts and
// reads back byte for byte with the SHA-256 computed while streaming; a small file is one put.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "./manifest";
import { HashingUpload, PART_BYTES } from "./r2-upload";

describe("HashingUpload", () => {
  it("streams a file of several parts and answers its size and SHA-256", async () => {
    const key = `test/${crypto.randomUUID()}/big.json`;
    const upload = new HashingUpload(env.EVIDENCE_BUCKET, key, "application/json");
    const line = `${JSON.stringify({ citation: "Cal. Health & Safety Code § 113948 – ≤ 41 °F", n: 0 })}\n`;
    const lines = Math.ceil((2.2 * PART_BYTES) / line.length);
    for (let i = 0; i < lines; i++) await upload.write(line);
    const result = await upload.finish();
    expect(result.size).toBeGreaterThan(2 * PART_BYTES);
    const stored = await env.EVIDENCE_BUCKET.get(key);
    const bytes = new Uint8Array(await (stored as R2ObjectBody).arrayBuffer());
    expect(bytes.byteLength).toBe(result.size);
    expect(await sha256Hex(bytes)).toBe(result.sha256);
    expect(stored?.httpMetadata?.contentType).toBe("application/json");
  });

  it("stores a small file with one put", async () => {
    const key = `test/${crypto.randomUUID()}/small.json`;
    const upload = new HashingUpload(env.EVIDENCE_BUCKET, key, "application/json");
    await upload.write('{"a":');
    await upload.write("1}");
    expect(await upload.finish()).toEqual({ size: 7, sha256: await sha256Hex('{"a":1}') });
    expect(await (await env.EVIDENCE_BUCKET.get(key))?.text()).toBe('{"a":1}');
  });

  it("leaves nothing behind when aborted", async () => {
    const key = `test/${crypto.randomUUID()}/aborted.json`;
    const upload = new HashingUpload(env.EVIDENCE_BUCKET, key, "application/json");
    await upload.write("x".repeat(PART_BYTES + 10));
    await upload.abort();
    expect(await env.EVIDENCE_BUCKET.get(key)).toBeNull();
  });
});
