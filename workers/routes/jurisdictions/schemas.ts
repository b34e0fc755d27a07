/**
 * Schemas of /v1/jurisdictions: what Prep covers, and one jurisdiction's rules.
 */
import * as v from "valibot";
import { OcdIdParamSchema } from "../../http/schemas";

const LevelSchema = v.picklist(["federal", "state", "county", "city"]);

const JurisdictionSchema = v.object({
  jurisdiction: v.string(),
  name: v.string(),
  level: LevelSchema,
  version: v.string(),
  rules: v.number(),
  unverifiedRules: v.number(),
  lastRefreshedAt: v.nullable(v.string()),
  fresh: v.boolean(),
});

const StateCoverageSchema = v.object({
  jurisdiction: v.string(),
  name: v.string(),
  local: v.array(v.object({ jurisdiction: v.string(), name: v.string(), level: LevelSchema })),
  elsewhere: v.literal("state"),
});

export const CoverageSchema = v.object({
  data: v.array(JurisdictionSchema),
  coverage: v.array(StateCoverageSchema),
});

export const OcdParams = v.object({ ocdId: OcdIdParamSchema });

export const RulesSchema = v.object({
  jurisdiction: v.string(),
  version: v.string(),
  disclaimer: v.string(),
  rules: v.array(v.unknown()),
});
