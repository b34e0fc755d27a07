/**
 * What follows a key revocation committed in Postgres, whoever caused it (DELETE /v1/keys/{id},
 * or its creator's removal or demotion in /v1/users): this isolate and the edge store forget
 * the key at once (other isolates within 30 s), and its live alert sockets close (4401).
 */

import type { Services } from "../../services/services";
import { notifyStreams } from "../alerts/shared";

export async function afterKeysRevoked(
  services: Services,
  tenantId: string,
  keys: readonly { id: string; prefix: string }[],
): Promise<void> {
  for (const key of keys) {
    await services.apiKeys.forget(key.prefix);
    await notifyStreams(services, tenantId, (object) =>
      object.endStreams({ actorId: key.id, why: "revoked" }),
    );
  }
}
