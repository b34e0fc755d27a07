/**
 * Fetching a dataset from its configured source. Production sources are the published,
 * signed bundle (`r2:<prefix>`, verified in bundle.ts) or HTTPS URLs fetched with
 * `If-None-Match`; `bundled:<ocd id>` serves the repository's own datasets (the first-boot
 * seed's default, local development); plain http is accepted for loopback hosts only (tests,
 * a local mirror).
 * Every way a fetch can go wrong becomes a typed failure, never an exception.
 */
import type { JWK } from "jose";
import { bundledDatasets } from "../compliance/index";
import { type BundleFailureCode, type BundleStore, R2_SOURCE, readBundleDataset } from "./bundle";

export type FetchFailureCode =
  | "http_error"
  | "timeout"
  | "network"
  | "invalid_json"
  | "unknown_source"
  | BundleFailureCode;

export type FetchResult =
  | { kind: "content"; json: unknown; etag: string | null }
  | { kind: "not_modified" }
  | { kind: "failed"; code: FetchFailureCode; detail: string };

const BUNDLED = "bundled:";
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether `url` may be configured as a source (see the header). */
export function isAllowedSourceUrl(url: string): boolean {
  if (url.startsWith(BUNDLED)) return url.length > BUNDLED.length;
  if (url.startsWith(R2_SOURCE)) return isBundlePrefix(url.slice(R2_SOURCE.length));
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || (parsed.protocol === "http:" && LOOPBACK.has(parsed.hostname));
  } catch {
    return false;
  }
}

/** A bucket prefix: path segments of safe characters, no `.`/`..` segment, no leading slash. */
const isBundlePrefix = (prefix: string) =>
  /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(prefix) &&
  !prefix.split("/").some((segment) => segment === "." || segment === "..");

/** Where `r2:` sources are read and what verifies them (JobContext.publishedBundles). */
export interface PublishedBundles {
  store: BundleStore;
  /** The pinned bundle-signing public key; null when unconfigured (then nothing verifies). */
  publicKey: JWK | null;
}

export interface SourceRequest {
  sourceUrl: string;
  /** The dataset the source is configured for (a bundle holds many). */
  jurisdiction: string;
  etag: string | null;
  timeoutMs: number;
  fetch: typeof fetch;
  bundles?: PublishedBundles | undefined;
}

export async function fetchSource(request: SourceRequest): Promise<FetchResult> {
  if (request.sourceUrl.startsWith(R2_SOURCE)) {
    return readBundleDataset({
      store: request.bundles?.store,
      publicKey: request.bundles?.publicKey ?? null,
      prefix: request.sourceUrl.slice(R2_SOURCE.length),
      jurisdiction: request.jurisdiction,
      etag: request.etag,
    });
  }
  if (request.sourceUrl.startsWith(BUNDLED)) {
    const jurisdiction = request.sourceUrl.slice(BUNDLED.length);
    const dataset = bundledDatasets.find((d) => d.jurisdiction === jurisdiction);
    return dataset
      ? { kind: "content", json: dataset, etag: null }
      : { kind: "failed", code: "unknown_source", detail: `no bundled dataset ${jurisdiction}` };
  }
  let response: Response;
  try {
    response = await request.fetch(request.sourceUrl, {
      headers: { accept: "application/json", ...(request.etag ? { "if-none-match": request.etag } : {}) },
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const name = (error as Error)?.name;
    return name === "TimeoutError" || name === "AbortError"
      ? { kind: "failed", code: "timeout", detail: `no answer within ${request.timeoutMs} ms` }
      : { kind: "failed", code: "network", detail: String(error) };
  }
  if (response.status === 304) return { kind: "not_modified" };
  if (!response.ok) {
    await response.body?.cancel();
    return {
      kind: "failed",
      code: "http_error",
      detail: `HTTP ${response.status} from ${request.sourceUrl}`,
    };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    const timedOut = (error as Error)?.name === "TimeoutError";
    return { kind: "failed", code: timedOut ? "timeout" : "network", detail: String(error) };
  }
  try {
    return { kind: "content", json: JSON.parse(text), etag: response.headers.get("etag") };
  } catch (error) {
    return { kind: "failed", code: "invalid_json", detail: `not JSON: ${(error as Error).message}` };
  }
}
