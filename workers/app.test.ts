// The app's last lines of defence: unexpected errors and an unreachable database.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "./app";

describe("error handling", () => {
  it("turns an unexpected error into a 500 problem that names the request id and nothing else", async () => {
    const app = createApp();
    app.get("/v1/boom", () => {
      throw new Error("password=hunter2 at /srv/secret.ts:12");
    });
    const response = await app.request("/v1/boom", {}, env);
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const text = await response.text();
    expect(text).not.toMatch(/hunter2|secret\.ts|at \//);
    const body = JSON.parse(text) as { code: string; requestId: string; detail: string };
    expect(body.code).toBe("internal_error");
    expect(body.detail).toContain(body.requestId);
  });

  it("answers 503 with Retry-After when the database cannot be reached", async () => {
    const app = createApp();
    const response = await app.request(
      "/v1/me",
      { headers: { authorization: `Bearer prep_test_${"Z".repeat(40)}` } },
      { ...env, DB_WS_PROXY: "127.0.0.1:9/v2" },
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.json()).toMatchObject({ code: "service_unavailable" });
  });
});
