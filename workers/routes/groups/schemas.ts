/**
 * Schemas of /v1/groups: location groups (regions, brands).
 */
import * as v from "valibot";
import { FacilityIdSchema, GroupIdSchema, NameSchema } from "../../http/schemas";

const GROUP_KINDS = ["region", "brand"] as const;
const FacilityIds = v.pipe(v.array(FacilityIdSchema), v.maxLength(1000));

export const GroupSchema = v.object({
  id: v.string(),
  name: v.string(),
  kind: v.picklist(GROUP_KINDS),
  facilityIds: v.array(v.string()),
  createdAt: v.string(),
});

export const CreateGroupSchema = v.object({
  name: NameSchema,
  kind: v.picklist(GROUP_KINDS),
  facilityIds: v.optional(FacilityIds, []),
});

export const UpdateGroupSchema = v.object({
  name: v.optional(NameSchema),
  facilityIds: v.optional(FacilityIds),
});

export const GroupIdParams = v.object({ id: GroupIdSchema });
