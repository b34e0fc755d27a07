/**
 * The one way any part of Prep raises a notification: `emitNotification(env.TENANT,
 * tenantId, { type, key, summary, data })`. The tenant's object stores the event once per
 * (type, key) and queues a delivery for every subscribed webhook endpoint and user channel in
 * the same transaction, so an event is never lost between being raised and being queued.
 * Documented in docs/notifications.md ("Emitting an event").
 */
import type { EmitInput, EmitOutcome } from "./contract";
import { isEventType } from "./events";

/** The part of the tenant object this needs (any DurableObjectNamespace<TenantObject> fits). */
export interface NotificationSinkNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): { emitNotification(input: EmitInput): Promise<EmitOutcome> };
}

export async function emitNotification(
  namespace: NotificationSinkNamespace,
  tenantId: string,
  input: EmitInput,
): Promise<EmitOutcome> {
  if (!isEventType(input.type)) throw new Error(`unknown notification event type: ${input.type}`);
  if (!input.key || input.key.length > 200)
    throw new Error("an emitted event needs a key of 1–200 characters");
  // Structured clone drops what JSON would not keep; the object stores `data` as JSON anyway.
  const data = JSON.parse(JSON.stringify(input.data ?? {})) as Record<string, unknown>;
  return namespace.get(namespace.idFromName(tenantId)).emitNotification({ ...input, data });
}
