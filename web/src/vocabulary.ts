/**
 * Human labels for the check contract's enumerations. Typed as records over the API's own
 * types, so a value added to or removed from the API fails the typecheck here.
 */
import type { FacilityInput, NotificationPreferences } from "./api/types";

type Staff = NonNullable<FacilityInput["staff"]>[number];
type Credential = NonNullable<Staff["credentials"]>[number];
type Permit = NonNullable<FacilityInput["permits"]>[number];
type Notice = NonNullable<FacilityInput["postedNotices"]>[number];
type EventType = NotificationPreferences["eventTypes"][number];

export const FACILITY_TYPE_LABEL: Record<FacilityInput["type"], string> = {
  restaurant: "Restaurant",
  shared_kitchen: "Shared kitchen",
  commissary: "Commissary",
  ghost_kitchen: "Ghost kitchen",
  mobile_food_facility: "Mobile food facility",
  caterer: "Caterer",
  institutional_kitchen: "Institutional kitchen",
};

export const NOTICE_LABEL: Record<Notice, string> = {
  choking_first_aid: "Choking first-aid instructions",
  letter_grade_card: "Letter grade card",
  inspection_placard: "Inspection placard",
  menu_calorie_labels: "Calories on menus and menu boards",
  sodium_warning: "Sodium warnings on the menu",
  permit: "Permit or licence",
  manager_certificate: "Food manager certificate",
  food_allergy_notice: "Food allergy notice",
  handwashing_sign: "Handwashing signs at employee sinks",
  health_department_contact_sign: "Health department contact sign",
};

export const STAFF_ROLE_LABEL: Record<Staff["role"], string> = {
  food_employee: "Food employee",
  manager: "Manager",
  person_in_charge: "Person in charge",
  owner: "Owner",
};

export const CREDENTIAL_LABEL: Record<Credential["type"], string> = {
  food_handler_card: "Food handler card",
  food_protection_manager: "Food protection manager certificate",
  allergen_awareness: "Allergen awareness",
  local_manager_certificate: "Local manager certificate",
};

export const PERMIT_LABEL: Record<Permit["type"], string> = {
  health_permit: "Health permit",
  mobile_food_facility_permit: "Mobile food facility permit",
  commissary_agreement: "Commissary agreement",
  business_license: "Business license",
  food_service_license: "Food service license",
  food_dealer_permit: "Food dealer permit",
  public_food_service_license: "Public food service license",
};

export const options = <K extends string>(labels: Record<K, string>) =>
  Object.entries(labels) as [K, string][];

/** Notification event types as the Notifications page names them. */
export const EVENT_TYPE_LABEL: Record<EventType, string> = {
  "facility.status_changed": "A location's status changes",
  "finding.failing": "A finding starts failing",
  "deadline.approaching": "A deadline is approaching",
  "deadline.passed": "A deadline passed",
  "renewal.reminder": "A renewal should start",
  "rule_change.ahead": "A rule changes soon",
  "export.ready": "An evidence export is ready",
  "billing.state_changed": "The subscription changes",
};

/** Every event type a webhook may subscribe to, in the server's order. */
export const EVENT_TYPES = Object.keys(EVENT_TYPE_LABEL) as EventType[];
