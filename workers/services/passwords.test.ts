// Password hashing: chained PBKDF2-SHA-256, because Cloudflare caps one call at 100,000 iterations.
import { describe, expect, it, vi } from "vitest";
import { hashPassword, verifyPassword } from "./passwords";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword("anything", "md5$whatever")).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password twice")).not.toBe(await hashPassword("same password twice"));
  });

  it("spends 600,000 iterations in calls of at most 100,000 (Cloudflare's limit per call)", async () => {
    const calls: number[] = [];
    const original = crypto.subtle.deriveBits.bind(crypto.subtle);
    const spy = vi.spyOn(crypto.subtle, "deriveBits").mockImplementation((algorithm, key, length) => {
      calls.push((algorithm as { iterations: number }).iterations);
      return original(algorithm, key, length);
    });
    try {
      await hashPassword("correct horse battery staple");
    } finally {
      spy.mockRestore();
    }
    expect(calls.every((n) => n <= 100_000)).toBe(true);
    expect(calls.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(600_000);
  });
});
