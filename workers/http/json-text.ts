/**
 * A JSON response from text that is already serialised: the check path stringifies its
 * verdict once, for the ledger and the response alike (services/checks.ts).
 */
import type { Context } from "hono";

export const jsonText = (c: Context, json: string) =>
  c.body(json, 200, { "content-type": "application/json" });
