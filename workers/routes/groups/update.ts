/**
 * PATCH /v1/groups/{id} — rename a group or replace its facilities. Scope
 * `facilities:write`, not for managers limited to chosen locations. Managers can be
 * assigned whole groups (PATCH /v1/users/{id}).
 */
import { describeRoute } from "hono-openapi";
import { withTenant } from "../../../db/client";
import { findGroup, renameGroup, setGroupMembers } from "../../../db/groups";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { requireAllLocations } from "../../middleware/locations";
import { assertKnownAssignments } from "../../services/team-rules";
import { notifyStreams } from "../alerts/shared";
import type { App } from "../index";
import { GroupIdParams, GroupSchema, UpdateGroupSchema } from "./schemas";
import { uniqueName } from "./shared";

export function registerUpdateGroup(app: App): void {
  app.patch(
    "/v1/groups/:id",
    describeRoute({
      tags: ["Facilities"],
      summary: "Rename a group or replace its locations",
      requestBody: jsonRequestBody(UpdateGroupSchema),
      responses: {
        200: jsonResponse("The group", GroupSchema),
        ...problemResponses(401, 403, 404, 409, 415, 422),
      },
    }),
    authenticate,
    requireScope("facilities:write"),
    requireAllLocations,
    validate("param", GroupIdParams),
    ...json(UpdateGroupSchema),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const { tenantId } = c.get("principal");
      const group = await uniqueName(() =>
        withTenant(c.get("services").db(), tenantId, async (tx) => {
          if (!(await findGroup(tx, id))) throw notFound(`Group ${id}`);
          await assertKnownAssignments(tx, body);
          if (body.name) await renameGroup(tx, id, body.name);
          if (body.facilityIds) await setGroupMembers(tx, tenantId, id, body.facilityIds);
          return findGroup(tx, id);
        }),
      );
      // Managers assigned this group see its new locations' alerts (and stop seeing old ones).
      if (body.facilityIds)
        await notifyStreams(c.get("services"), tenantId, (object) => object.recheckStreams());
      return c.json(group);
    },
  );
}
