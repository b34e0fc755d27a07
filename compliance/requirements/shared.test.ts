// acceptedIssuersWhere remembers one chain's answer per rule: a verdict for another place must
// never get the last place's accepted issuers, and a caller mutating its chain afterwards must
// not change what is remembered. phraseByDay remembers a phrase per day: a day that shares a slot
// with another must still get its own phrase.
import { describe, expect, it } from "vitest";
import { fromDay, toDay } from "../dates";
import type { CredentialSpec } from "../schema/dataset";
import { acceptedIssuersWhere, phraseByDay } from "./shared";

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

describe("phraseByDay", () => {
  const day = toDay("2027-03-01");

  it("builds a day's phrase once and answers it again", () => {
    let built = 0;
    const phrase = phraseByDay((d) => {
      built++;
      return `valid through ${fromDay(d)}`;
    });
    expect(phrase(day)).toBe("valid through 2027-03-01");
    expect(phrase(day)).toBe("valid through 2027-03-01");
    expect(built).toBe(1);
  });

  it("gives days that share a slot, negative days and the far future their own phrases", () => {
    const phrase = phraseByDay((d) => fromDay(d));
    // 4096 days apart: the same slot of the table, which must not answer for the other.
    for (const d of [day, day + 4096, day, day - 4096, -719_162, toDay("9999-12-31"), day])
      expect(phrase(d)).toBe(fromDay(d));
  });
});
