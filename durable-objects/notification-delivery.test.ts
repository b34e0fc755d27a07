// The webhook sender as the object uses it: a URL re-checked before every attempt (a name
// re-pointed at a private address after it was saved is refused, DNS rebinding), redirects
// are an answer and never followed, an unreachable receiver is a failure to retry — never a throw.
import { describe, expect, inject, it } from "vitest";
import { webhookSender } from "./notification-delivery";

const request = (url: string) => ({ url, headers: { "content-type": "application/json" }, body: "{}" });

describe("webhookSender", () => {
  it("refuses, in production, a name that now resolves to a private address", async () => {
    const send = webhookSender("production", async () => ["10.0.0.7"]);
    expect(await send(request("https://hooks.example.com/prep"))).toEqual({
      outcome: "failed",
      error: "refused: the URL resolves to a private address (10.0.0.7)",
    });
  });

  it("does not follow a redirect, and counts it as a failure", async () => {
    const url = `${inject("upstreamUrl")}/receivers/redirecting-${Date.now()}`;
    await fetch(`${url}/control`, { method: "PUT", body: JSON.stringify({ failNext: 1, status: 302 }) });
    expect(await webhookSender("development")(request(url))).toEqual({
      outcome: "failed",
      responseStatus: 302,
      error: "answered 302",
    });
    expect(await webhookSender("development")(request(url))).toEqual({
      outcome: "delivered",
      responseStatus: 200,
    });
  });

  it("reports an unreachable receiver as a failure to retry", async () => {
    const result = await webhookSender("development")(request("http://127.0.0.1:9/closed"));
    expect(result.outcome).toBe("failed");
  });
});
