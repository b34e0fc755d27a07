/**
 * Shared OpenAPI fragments: the problem+json schema and the error responses routes declare.
 */
import { resolver } from "hono-openapi";
import * as v from "valibot";

export const ProblemSchema = v.object({
  type: v.string(),
  title: v.string(),
  status: v.number(),
  detail: v.string(),
  instance: v.string(),
  code: v.string(),
  requestId: v.nullable(v.string()),
  errors: v.optional(v.array(v.object({ pointer: v.string(), detail: v.string() }))),
});

const DESCRIPTIONS: Record<number, string> = {
  400: "Malformed request (e.g. invalid JSON)",
  401: "Missing, malformed, unknown or revoked API key",
  402: "The subscription has lapsed (trial ended, canceled, or past due beyond the grace period): `subscription_required`",
  403: "The API key lacks the required scope, or the plan does not include this (`state_not_in_plan`, `location_limit_reached`)",
  404: "Not found (also for another tenant's resources)",
  409: "Conflict",
  413: "Body over 1 MiB",
  415: "Body is not JSON",
  422: "Validation failed; errors[] has a JSON pointer per field",
  429: "Rate limited; see Retry-After",
  503: "A backing service is unavailable; retry",
};

/** A JSON response entry for `describeRoute({ responses })`. */
export function jsonResponse(description: string, schema: Parameters<typeof resolver>[0]) {
  return { description, content: { "application/json": { schema: resolver(schema) } } };
}

/** A JSON request body entry for `describeRoute({ requestBody })`. */
export function jsonRequestBody(schema: Parameters<typeof resolver>[0]) {
  return { required: true, content: { "application/json": { schema: resolver(schema) } } };
}

export function problemResponses(...statuses: number[]) {
  const out: Record<
    number,
    { description: string; content: { "application/problem+json": { schema: ReturnType<typeof resolver> } } }
  > = {};
  for (const status of statuses) {
    out[status] = {
      description: DESCRIPTIONS[status] ?? "Error",
      content: { "application/problem+json": { schema: resolver(ProblemSchema) } },
    };
  }
  return out;
}
