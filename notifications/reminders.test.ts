// The renewal reminder schedule and wording (pure): step 1 fourteen days before D, step 2 the
// day after D, step 3 a week later, never two steps within a week; at 15:00 UTC.
import { describe, expect, it } from "vitest";
import { reminderData, reminderDueAt, reminderSummary } from "./reminders";

const at = (iso: string) => Date.parse(iso);
const facts = {
  facilityId: "fac_1",
  facilityName: "Mission Street Kitchen",
  ruleId: "CA-FHC",
  title: "Food handler card",
  citation: "Cal. Health & Safety Code § 113948",
  subject: { kind: "staff", id: "s-1" },
  holder: "s-1",
  startBy: "2027-03-15",
  validThrough: "2027-03-29",
};

describe("renewal reminder schedule", () => {
  it("plans person, manager and owner steps around D", () => {
    expect(reminderDueAt(1, "2027-03-15", null)).toBe(at("2027-03-01T15:00:00Z"));
    expect(reminderDueAt(2, "2027-03-15", at("2027-03-01T15:00:00Z"))).toBe(at("2027-03-16T15:00:00Z"));
    expect(reminderDueAt(3, "2027-03-15", at("2027-03-16T15:00:00Z"))).toBe(at("2027-03-23T15:00:00Z"));
    expect(reminderDueAt(4, "2027-03-15", at("2027-03-23T15:00:00Z"))).toBeNull();
  });

  it("keeps a week between steps when a reminder started late", () => {
    const late = at("2027-03-20T09:00:00Z");
    expect(reminderDueAt(2, "2027-03-15", late)).toBe(late + 7 * 86_400_000);
  });

  it("says start by D to be covered before E, then who it was escalated to", () => {
    expect(reminderSummary(facts, "person")).toBe(
      "Start renewal by 2027-03-15 to be covered before 2027-03-29: Food handler card (s-1) at Mission Street Kitchen",
    );
    expect(reminderSummary(facts, "manager")).toContain("escalated to the location's manager");
    expect(reminderSummary(facts, "owner")).toContain("escalated to the owner");
    expect(reminderData(facts, "owner")).toMatchObject({
      step: "owner",
      stepNumber: 3,
      startBy: "2027-03-15",
    });
  });
});
