// Requirement kind → compiled check. Adding a requirement kind = a schema variant + one module here.

import type { Check } from "../engine/types";
import type { Requirement } from "../schema/dataset";
import { compileCredentialHolder } from "./credential-holder";
import { compileEachStaffCredential } from "./each-staff-credential";
import { compileInformational, compilePreemption } from "./informational";
import { compileInspectionGrade } from "./inspection-grade";
import { compilePermit } from "./permit";
import { compileTemperature } from "./temperature";

export function compileRequirement(req: Requirement): Check {
  switch (req.kind) {
    case "each_staff_credential":
      return compileEachStaffCredential(req);
    case "credential_holder":
      return compileCredentialHolder(req);
    case "permit":
      return compilePermit(req);
    case "temperature":
      return compileTemperature(req);
    case "inspection_grade":
      return compileInspectionGrade(req);
    case "preemption":
      return compilePreemption(req);
    case "informational":
      return compileInformational(req);
  }
}
