/**
 * RFC 9457 problem details: the one shape of every error the API returns.
 *
 * Handlers throw `Problem`s; the app's error handler renders them (and turns anything else
 * into a 500 that names the request id but never internals). Each `code` has a stable type
 * URI documented in docs/api/problems.md.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const PROBLEM_BASE = "https://prep.dev/problems/";

export interface FieldError {
  /** RFC 6901 JSON pointer into the request, e.g. `/facility/staff/0/hiredAt`. */
  pointer: string;
  detail: string;
}

export interface ProblemInit {
  status: ContentfulStatusCode;
  code: string;
  title: string;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members (RFC 9457 extensions), e.g. `retryAfter`. */
  extensions?: Record<string, unknown>;
}

export class Problem extends Error {
  readonly init: ProblemInit;
  constructor(init: ProblemInit) {
    super(init.detail);
    this.name = "Problem";
    this.init = init;
  }
}

export function problemResponse(c: Context, init: ProblemInit): Response {
  const body = {
    type: `${PROBLEM_BASE}${init.code}`,
    title: init.title,
    status: init.status,
    detail: init.detail,
    instance: new URL(c.req.url).pathname,
    code: init.code,
    requestId: c.get("requestId") ?? null,
    ...(init.errors ? { errors: init.errors } : {}),
    ...init.extensions,
  };
  return new Response(JSON.stringify(body), {
    status: init.status,
    headers: { "content-type": "application/problem+json", ...init.headers },
  });
}

// Constructors for the problems the API raises in more than one place.

export const notFound = (what: string) =>
  new Problem({ status: 404, code: "not_found", title: "Not found", detail: `${what} was not found.` });

export const unauthorized = (detail: string) =>
  new Problem({
    status: 401,
    code: "unauthorized",
    title: "Unauthorized",
    detail,
    headers: { "www-authenticate": 'Bearer realm="prep"' },
  });

/** A signed-in user's role stands in for a key's scopes, so the detail names the role. */
export const forbiddenScope = (scope: string, role?: string) =>
  new Problem({
    status: 403,
    code: "insufficient_scope",
    title: "Forbidden",
    detail: role
      ? `Your role (${role}) does not allow this ("${scope}"). Ask an owner or admin of your team.`
      : `This API key lacks the "${scope}" scope.`,
    extensions: { requiredScope: scope },
  });

export const validationFailed = (
  errors: FieldError[],
  detail = "The request has invalid fields; see errors[].",
) => new Problem({ status: 422, code: "validation_failed", title: "Validation failed", detail, errors });

export const serviceUnavailable = (detail: string) =>
  new Problem({
    status: 503,
    code: "service_unavailable",
    title: "Service unavailable",
    detail,
    headers: { "retry-after": "5" },
  });
