/**
 * Facility payloads for API tests, in the check contract's shape.
 */
export function sfRestaurant(overrides: Record<string, unknown> = {}) {
  return {
    name: "Mission Street Kitchen",
    type: "restaurant",
    address: { line1: "2000 Mission St", city: "San Francisco", state: "CA", postalCode: "94110" },
    openedAt: "2020-01-15",
    permits: [
      {
        type: "health_permit",
        number: "SF-HP-1",
        issuer: "ocd-division/country:us/state:ca/place:san_francisco",
        issuedAt: "2026-01-01",
        expiresAt: "2027-01-01",
      },
    ],
    staff: [
      {
        id: "mgr-1",
        name: "Ana",
        role: "manager",
        hiredAt: "2019-06-01",
        credentials: [
          { type: "food_protection_manager", issuedAt: "2024-03-01", expiresAt: "2029-03-01" },
          {
            type: "food_handler_card",
            issuer: "ocd-division/country:us/state:ca",
            issuedAt: "2024-03-01",
            expiresAt: "2027-03-01",
          },
        ],
      },
      { id: "s-1", name: "Maria", role: "food_employee", hiredAt: "2026-09-01" },
    ],
    ...overrides,
  };
}

export const cardFor = (issuedAt: string) => ({
  type: "food_handler_card",
  issuer: "ocd-division/country:us/state:ca",
  issuedAt,
  expiresAt: `${Number(issuedAt.slice(0, 4)) + 3}${issuedAt.slice(4)}`,
});

export interface Finding {
  ruleId: string;
  status: string;
  citation: string;
  message: string;
  subject: { kind: string; id: string } | null;
  dueBy: string | null;
}

export interface CheckBody {
  id: string;
  status: string;
  asOf: string;
  findings: Finding[];
  jurisdictions: string[];
  datasets: { jurisdiction: string; version: string }[];
}

export const findingFor = (body: CheckBody, ruleId: string, subjectId?: string) =>
  body.findings.find((f) => f.ruleId === ruleId && (subjectId === undefined || f.subject?.id === subjectId));
