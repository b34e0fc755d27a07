/**
 * Request validation from valibot schemas, which are also the OpenAPI document's source.
 *
 * `json(schema)` demands a JSON content type (415 otherwise) and answers 422 with one
 * `errors[]` entry per invalid field, each with a JSON pointer into the request.
 */
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ValidationTargets } from "hono";
import { createMiddleware } from "hono/factory";
import { validator } from "hono-openapi";
import type { AppEnv } from "../context";
import { type FieldError, Problem, validationFailed } from "./problem";

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]*\+)?json\s*(?:;|$)/i;

function pointerOf(issue: StandardSchemaV1.Issue, root: string): string {
  const segments = (issue.path ?? []).map((segment) =>
    String(typeof segment === "object" ? segment.key : segment)
      .replaceAll("~", "~0")
      .replaceAll("/", "~1"),
  );
  return root + segments.map((s) => `/${s}`).join("");
}

export function toFieldErrors(issues: readonly StandardSchemaV1.Issue[], root = ""): FieldError[] {
  return issues.map((issue) => ({ pointer: pointerOf(issue, root) || "/", detail: issue.message }));
}

/** Validates `target` against `schema`; failures become a 422 problem. */
export function validate<S extends StandardSchemaV1, T extends keyof ValidationTargets>(
  target: T,
  schema: S,
) {
  // Query and path errors point at `#/query/...` style locations so clients know where to look.
  const root = target === "json" ? "" : `/${target}`;
  return validator(target, schema, (result) => {
    if (!result.success) throw validationFailed(toFieldErrors(result.error, root));
  });
}

export const requireJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (!JSON_TYPE.test(type)) {
    throw new Problem({
      status: 415,
      code: "unsupported_media_type",
      title: "Unsupported media type",
      detail: `Send the body as JSON with Content-Type: application/json (got "${type || "none"}").`,
    });
  }
  await next();
});

/** `requireJsonBody` then `validate("json", schema)`. */
export const json = <S extends StandardSchemaV1>(schema: S) =>
  [requireJsonBody, validate("json", schema)] as const;

/**
 * For routes whose body is optional: no body means `{}`; a body must be JSON and valid.
 * Sets the validated value as `c.req.valid("json")` like `json(schema)` does.
 */
export const optionalJson = <S extends StandardSchemaV1>(schema: S) =>
  [
    createMiddleware<AppEnv>(async (c, next) => {
      const length = c.req.header("content-length");
      const hasBody = c.req.header("content-type") !== undefined || (length !== undefined && length !== "0");
      if (!hasBody) {
        // An empty JSON object stands in for the missing body.
        c.req.raw = new Request(c.req.raw, {
          body: "{}",
          headers: { ...Object.fromEntries(c.req.raw.headers), "content-type": "application/json" },
        });
        return next();
      }
      // One middleware, not two: Hono types a route's chain up to ten handlers.
      return requireJsonBody(c, next);
    }),
    validate("json", schema),
  ] as const;
