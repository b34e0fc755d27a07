/**
 * Location groups (regions, brands) for chains: GET /v1/groups (`facilities:read`), and
 * POST, PATCH /v1/groups/{id}, DELETE /v1/groups/{id} (`facilities:write`, not for managers
 * limited to chosen locations). Managers can be assigned whole groups (PATCH /v1/users/{id}).
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { withTenant } from "../../../db/client";
import { isUniqueViolation } from "../../../db/errors";
import {
  deleteGroup,
  findGroup,
  insertGroup,
  listGroups,
  renameGroup,
  setGroupMembers,
} from "../../../db/groups";
import { CreateGroupSchema, GroupIdParams, GroupSchema, UpdateGroupSchema } from "../../http/account-schemas";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound, Problem } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { requireAllLocations } from "../../middleware/locations";
import { assertKnownAssignments } from "../../services/team-rules";
import type { App } from "../index";

const nameTaken = () =>
  new Problem({
    status: 409,
    code: "group_name_taken",
    title: "Conflict",
    detail: "A group of this kind with this name exists. Pick another name.",
  });

/** Runs `work`, turning a duplicate name into a 409. */
async function uniqueName<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

export function registerGroups(app: App): void {
  app.get(
    "/v1/groups",
    describeRoute({
      tags: ["Facilities"],
      summary: "List location groups",
      responses: {
        200: jsonResponse("Groups", v.object({ data: v.array(GroupSchema) })),
        ...problemResponses(401, 403),
      },
    }),
    authenticate,
    requireScope("facilities:read"),
    async (c) => {
      const data = await withTenant(c.get("services").db(), c.get("principal").tenantId, listGroups);
      return c.json({ data });
    },
  );

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
      return c.json(group);
    },
  );

  app.delete(
    "/v1/groups/:id",
    describeRoute({
      tags: ["Facilities"],
      summary: "Delete a group (its locations stay)",
      responses: { 204: { description: "Deleted" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticate,
    requireScope("facilities:write"),
    requireAllLocations,
    validate("param", GroupIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const deleted = await withTenant(c.get("services").db(), c.get("principal").tenantId, (tx) =>
        deleteGroup(tx, id),
      );
      if (!deleted) throw notFound(`Group ${id}`);
      return c.body(null, 204);
    },
  );
}
