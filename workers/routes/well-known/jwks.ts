/**
 * GET /.well-known/jwks.json — the public halves of Prep's signing keys (RFC 7517), current
 * and retired, each with its `kid` and `purpose` (runtime/signing-keys.ts): evidence manifests
 * today, partner access tokens later. Public and cacheable; anyone may verify.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { keyRing } from "../../../runtime/signing-keys";
import { jsonResponse } from "../../http/openapi";
import type { App } from "../index";

const JwksSchema = v.object({
  keys: v.array(
    v.object({
      kid: v.string(),
      kty: v.literal("OKP"),
      crv: v.literal("Ed25519"),
      x: v.string(),
      alg: v.literal("EdDSA"),
      use: v.literal("sig"),
      purpose: v.string(),
    }),
  ),
});

export function registerJwks(app: App): void {
  app.get(
    "/.well-known/jwks.json",
    describeRoute({
      tags: ["Evidence"],
      summary: "Prep's public signing keys (JWKS)",
      security: [],
      responses: { 200: jsonResponse("Every published key, current and retired", JwksSchema) },
    }),
    (c) => {
      c.header("cache-control", "public, max-age=300");
      c.header("access-control-allow-origin", "*");
      return c.json(keyRing(c.env).jwks());
    },
  );
}
