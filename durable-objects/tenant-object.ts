/**
 * TenantObject: one Durable Object per tenant (SQLite storage, native RPC).
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";

export class TenantObject extends DurableObject<Env> {}
