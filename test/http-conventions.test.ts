// HTTP conventions every route shares: request ids, problem+json errors, security headers.
import { describe, expect, it } from "vitest";
import { BASE, call, expectProblem, newTenant } from "./helpers";

describe("HTTP conventions", () => {
  it("puts a request id and security headers on every response", async () => {
    const response = await call("/v1/me");
    expect(response.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("strict-transport-security")).toContain("max-age=");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("keeps a well-formed incoming request id", async () => {
    const response = await call("/v1/me", { headers: { "x-request-id": "client-trace-12345" } });
    expect(response.headers.get("x-request-id")).toBe("client-trace-12345");
  });

  it("answers 401 problems for missing, malformed and unknown keys", async () => {
    const missing = await expectProblem(await call("/v1/me"), 401, "unauthorized");
    expect(missing.detail).toMatch(/Authorization: Bearer/);
    await expectProblem(await call("/v1/me", { key: "not-a-key" }), 401, "unauthorized");
    const unknown = await call("/v1/me", { key: `prep_test_${"A".repeat(40)}` });
    await expectProblem(unknown, 401, "unauthorized");
    expect(unknown.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("rejects a live key on a test deployment", async () => {
    const body = await expectProblem(
      await call("/v1/me", { key: `prep_live_${"A".repeat(40)}` }),
      401,
      "unauthorized",
    );
    expect(body.detail).toMatch(/mode/);
  });

  it("answers 404 for unknown routes and 405 with Allow for wrong methods", async () => {
    await expectProblem(await call("/v1/nope"), 404, "not_found");
    const response = await call("/v1/me", { method: "DELETE" });
    await expectProblem(response, 405, "method_not_allowed");
    expect(response.headers.get("allow")).toContain("GET");
  });

  it("answers 415 for a non-JSON body, 400 for malformed JSON and 422 with pointers for invalid fields", async () => {
    const { key } = await newTenant();
    await expectProblem(
      await call("/v1/keys", {
        method: "POST",
        key,
        body: "name=x",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      415,
      "unsupported_media_type",
    );
    await expectProblem(
      await call("/v1/keys", {
        method: "POST",
        key,
        body: "{not json",
        headers: { "content-type": "application/json" },
      }),
      400,
      "malformed_json",
    );
    const invalid = await expectProblem(
      await call("/v1/keys", { method: "POST", key, json: { name: "", scopes: ["checks:write", "root"] } }),
      422,
      "validation_failed",
    );
    const pointers = (invalid.errors as { pointer: string }[]).map((e) => e.pointer).sort();
    expect(pointers).toEqual(["/name", "/scopes/1"]);
  });

  it("answers 413 for bodies over 1 MiB", async () => {
    const { key } = await newTenant();
    const big = JSON.stringify({ name: "x".repeat(1024 * 1024 + 10) });
    await expectProblem(
      await call("/v1/keys", {
        method: "POST",
        key,
        body: big,
        headers: { "content-type": "application/json" },
      }),
      413,
      "payload_too_large",
    );
  });

  it("allows cross-origin API calls without credentials", async () => {
    const response = await call("/v1/me", {
      method: "OPTIONS",
      headers: { origin: "https://pos.example", "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("lets browsers on any origin read API answers and their headers, problems included", async () => {
    for (const response of [
      await call("/v1/openapi.json", { headers: { origin: "https://pos.example" } }),
      await call("/v1/me", { headers: { origin: "https://pos.example" } }),
    ]) {
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("x-request-id");
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("serves the OpenAPI 3.1 document and the reference page", async () => {
    const spec = (await (await call("/v1/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toContain("/v1/me");
    const docs = await call("/docs");
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("/v1/openapi.json");
  });

  it("keeps the API's security headers, and adds a CSP that loads nothing and a Permissions-Policy", async () => {
    for (const response of [await call("/v1/me"), await call("/v1/openapi.json"), await call("/v1/nope")]) {
      expect(response.headers.get("strict-transport-security")).toBe(
        "max-age=63072000; includeSubDomains; preload",
      );
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
      expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(response.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      expect(response.headers.get("permissions-policy")).toContain("camera=()");
    }
  });

  it("serves /docs with no third-party script or stylesheet and a CSP that allows no other origin", async () => {
    const docs = await call("/docs");
    const html = await docs.text();
    const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(refs).toEqual(["/vendor/scalar-api-reference.js"]);
    for (const ref of refs) expect(new URL(ref ?? "", BASE).origin).toBe(BASE);

    const csp = docs.headers.get("content-security-policy") ?? "";
    expect(csp).not.toMatch(/https?:|\*|'unsafe-eval'/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(docs.headers.get("x-frame-options")).toBe("DENY");
    // Inline scripts run only by this response's nonce, which every inline script carries.
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
    expect(html).toContain(`<meta property="csp-nonce" content="${nonce}" />`);
    // A fresh nonce per response.
    const again = (await call("/docs")).headers.get("content-security-policy");
    expect(again).not.toContain(`'nonce-${nonce}'`);
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After once a key exceeds its limit, and other keys carry on", async () => {
    const { key } = await newTenant("Busy");
    const other = await newTenant("Calm");
    // The limiter counts in fixed 10-second windows: keep sending until it says no.
    let limited: Response | undefined;
    for (let sent = 0; !limited && sent < 1500; sent += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => call("/v1/me", { key })));
      limited = batch.find((r) => r.status === 429);
    }
    expect(limited).toBeDefined();
    expect(limited?.headers.get("retry-after")).toBe("10");
    expect(await limited?.json()).toMatchObject({ code: "rate_limited", status: 429 });
    expect((await call("/v1/me", { key: other.key })).status).toBe(200);
  });
});
