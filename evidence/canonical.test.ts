// Canonical JSON: sorted keys, no whitespace, the same bytes for the same data; the streaming
// writer produces exactly what canonicalJson would, and refuses members out of order.
import { describe, expect, it } from "vitest";
import { CanonicalObjectWriter, canonicalJson } from "./canonical";

describe("canonicalJson", () => {
  it("sorts keys by UTF-16 code units at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: [{ z: true, é: null, A: "x" }], c: undefined })).toBe(
      '{"a":[{"A":"x","z":true,"é":null}],"b":1}',
    );
  });

  it("writes numbers and strings as ECMAScript does (Unicode kept, escapes minimal)", () => {
    expect(canonicalJson([1e21, 0.1, -0, "≤ ≥ – 北京 \u0000"])).toBe('[1e+21,0.1,0,"≤ ≥ – 北京 \\u0000"]');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, () => 1, 1n])("refuses %s", (value) => {
    expect(() => canonicalJson([value])).toThrow(TypeError);
  });
});

describe("CanonicalObjectWriter", () => {
  const sink = () => {
    const parts: string[] = [];
    return { parts, write: async (text: string) => void parts.push(text) };
  };
  async function* pages<T>(...pages: T[][]) {
    for (const page of pages) yield page;
  }

  it("streams the same text canonicalJson gives for the whole object", async () => {
    const out = sink();
    const writer = new CanonicalObjectWriter(out);
    await writer.member("alerts", []);
    expect(await writer.arrayMember("checks", pages([{ b: 2, a: 1 }], [], [{ a: 3 }]), (x) => x)).toBe(2);
    await writer.member("schema", "v1");
    await writer.close();
    expect(out.parts.join("")).toBe(
      canonicalJson({ alerts: [], checks: [{ a: 1, b: 2 }, { a: 3 }], schema: "v1" }),
    );
  });

  it("refuses a member out of canonical order", async () => {
    const writer = new CanonicalObjectWriter(sink());
    await writer.member("b", 1);
    await expect(writer.member("a", 1)).rejects.toThrow(/canonical order/);
  });
});
