/**
 * POST /v1/groups — create a location group (a region or a brand) with its facilities; a
 * name taken by a group of the same kind is a 409. Scope `facilities:write`, not for
 * managers limited to chosen locations.
 */
import { describeRoute } from "hono-openapi";
import { withTenant } from "../../../db/client";
import { findGroup, insertGroup, setGroupMembers } from "../../../db/groups";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { json } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { requireAllLocations } from "../../middleware/locations";
import { assertKnownAssignments } from "../../services/team-rules";
import type { App } from "../index";
import { CreateGroupSchema, GroupSchema } from "./schemas";
import { uniqueName } from "./shared";

export function registerCreateGroup(app: App): void {
  app.post(
    "/v1/groups",
    describeRoute({
      tags: ["Facilities"],
      summary: "Create a location group",
      requestBody: jsonRequestBody(CreateGroupSchema),
      responses: {
        201: jsonResponse("The group", GroupSchema),
        ...problemResponses(401, 403, 409, 415, 422),
      },
    }),
    authenticate,
    requireScope("facilities:write"),
    requireAllLocations,
    ...json(CreateGroupSchema),
    async (c) => {
      const body = c.req.valid("json");
      const { tenantId } = c.get("principal");
      const group = await uniqueName(() =>
        withTenant(c.get("services").db(), tenantId, async (tx) => {
          await assertKnownAssignments(tx, body);
          const id = await insertGroup(tx, tenantId, { name: body.name, kind: body.kind });
          await setGroupMembers(tx, tenantId, id, body.facilityIds);
          return findGroup(tx, id);
        }),
      );
      return c.json(group, 201);
    },
  );
}
