/**
 * The app's one door to the API: same-origin fetches with the session cookie, the CSRF token
 * on every state-changing request, and RFC 9457 problems turned into `ApiError`s.
 */
import type { Problem } from "./types";

let csrfToken = "";
let onUnauthorized: () => void = () => {};

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when a request comes back 401: the session ended elsewhere. */
export function onSessionLost(handler: () => void): void {
  onUnauthorized = handler;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
  /** The message for one field, from the problem's `errors[]` pointers. */
  fieldError(pointer: string): string | undefined {
    return this.problem.errors?.find((e) => e.pointer === pointer)?.detail;
  }
}

function networkProblem(): Problem {
  return {
    type: "about:blank",
    title: "Network error",
    status: 0,
    code: "network_error",
    detail: "Prep could not be reached. Check your connection and try again.",
    requestId: null,
  };
}

/**
 * `bearer`: a platform admin key for `/v1/admin/*` (which ignores session cookies); the
 * session's CSRF token is then not sent, and a 401 says nothing about the session.
 */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; bearer?: string } = {},
): Promise<T> {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
  else if (method !== "GET") headers["x-csrf-token"] = csrfToken;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: init.body === undefined ? null : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(networkProblem());
  }
  if (response.status === 204) return undefined as T;
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = (body as Problem | null) ?? {
      ...networkProblem(),
      status: response.status,
      detail: `The server answered ${response.status}.`,
    };
    if (response.status === 401 && !path.startsWith("/v1/auth/") && !init.bearer) onUnauthorized();
    throw new ApiError(problem);
  }
  return body as T;
}
