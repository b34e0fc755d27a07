// Requirement kind → compiled check. Adding a requirement kind = a schema variant + one module here.

import type { CompiledRequirement, RuleMeta } from "../engine/types";
import type { Requirement } from "../schema/dataset";
import { compileCredentialHolder } from "./credential-holder";
import { compileEachStaffCredential } from "./each-staff-credential";
import { compileInformational, compilePreemption } from "./informational";
import { compileInspectionGrade } from "./inspection-grade";
import { compilePermit } from "./permit";
import { compilePosting } from "./posting";
import { compileTemperature } from "./temperature";

export function compileRequirement(req: Requirement, meta: RuleMeta): CompiledRequirement {
  switch (req.kind) {
    case "each_staff_credential":
      return { check: compileEachStaffCredential(req, meta) };
    case "credential_holder":
      return { check: compileCredentialHolder(req, meta) };
    case "permit":
      return { check: compilePermit(req, meta) };
    case "temperature":
      return { check: compileTemperature(req, meta) };
    case "inspection_grade":
      return { check: compileInspectionGrade(req, meta) };
    case "preemption":
      return compilePreemption(req, meta);
    case "posting":
      return { check: compilePosting(req, meta) };
    case "informational":
      return compileInformational(req, meta);
  }
}
