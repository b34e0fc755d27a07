// acceptedIssuersWhere remembers one chain's answer per rule: a verdict for another place must
// never get the last place's accepted issuers, and a caller mutating its chain afterwards must
// not change what is remembered.
import { describe, expect, it } from "vitest";
import type { CredentialSpec } from "../schema/dataset";
import { acceptedIssuersWhere } from "./shared";

const CA = "ocd-division/country:us/state:ca";
const RIVERSIDE = `${CA}/county:riverside`;
const SAN_FRANCISCO = `${CA}/county:san_francisco`;
const spec: CredentialSpec = {
  type: "food_handler_card",
  validityYears: 3,
  acceptedIssuers: [
    { issuer: CA, notAcceptedIn: [RIVERSIDE] },
    { issuer: RIVERSIDE, acceptedIn: [RIVERSIDE] },
  ],
};

describe("acceptedIssuersWhere", () => {
  it("answers each place for itself, also when places alternate", () => {
    const acceptedIn = acceptedIssuersWhere(spec);
    expect(acceptedIn([CA, RIVERSIDE])).toEqual([RIVERSIDE]);
    expect(acceptedIn([CA, SAN_FRANCISCO])).toEqual([CA]);
    expect(acceptedIn([CA, RIVERSIDE])).toEqual([RIVERSIDE]);
    expect(acceptedIn([CA])).toEqual([CA]);
  });

  it("is not fooled by a chain the caller changes after asking", () => {
    const acceptedIn = acceptedIssuersWhere(spec);
    const chain = [CA, SAN_FRANCISCO];
    expect(acceptedIn(chain)).toEqual([CA]);
    chain[1] = RIVERSIDE;
    expect(acceptedIn(chain)).toEqual([RIVERSIDE]);
  });

  it("shares a frozen answer, so no verdict can change another's", () => {
    const answer = acceptedIssuersWhere(spec)([CA]);
    expect(Object.isFrozen(answer)).toBe(true);
  });

  it("accepts any issuer when the rule names none", () => {
    const { acceptedIssuers: _none, ...anyIssuer } = spec;
    expect(acceptedIssuersWhere(anyIssuer)([CA, RIVERSIDE])).toBeUndefined();
  });
});
