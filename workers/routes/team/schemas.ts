/**
 * Schemas of the team (/v1/users) and its invites (/v1/invites).
 */
import * as v from "valibot";
import { EmailSchema, FacilityIdSchema, GroupIdSchema, idSchema, ROLE_NAMES } from "../../http/schemas";

const FacilityIds = v.pipe(v.array(FacilityIdSchema), v.maxLength(1000));
const GroupIds = v.pipe(v.array(GroupIdSchema), v.maxLength(100));

export const TeamMemberSchema = v.object({
  id: v.string(),
  email: v.string(),
  name: v.nullable(v.string()),
  role: v.picklist(ROLE_NAMES),
  createdAt: v.string(),
  facilityIds: v.array(v.string()),
  groupIds: v.array(v.string()),
});

export const UpdateMemberSchema = v.object({
  role: v.optional(v.picklist(ROLE_NAMES)),
  facilityIds: v.optional(FacilityIds),
  groupIds: v.optional(GroupIds),
});

export const UserIdParams = v.object({ id: idSchema("usr", "must be a user id (usr_…)") });

export const CreateInviteSchema = v.object({
  email: EmailSchema,
  role: v.picklist(ROLE_NAMES),
  /** Locations and groups assigned to a manager. */
  facilityIds: v.optional(FacilityIds, []),
  groupIds: v.optional(GroupIds, []),
});

export const InviteSchema = v.object({
  id: v.string(),
  email: v.string(),
  role: v.picklist(ROLE_NAMES),
  facilityIds: v.array(v.string()),
  groupIds: v.array(v.string()),
  createdBy: v.string(),
  createdAt: v.string(),
  expiresAt: v.string(),
  acceptedAt: v.nullable(v.string()),
});

/** The token (and the link built from it) appear in this response only. */
export const CreatedInviteSchema = v.object({ invite: InviteSchema, token: v.string(), url: v.string() });

export const InviteIdParams = v.object({ id: idSchema("inv", "must be an invite id (inv_…)") });
