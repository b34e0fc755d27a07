// The SMS channel's pure parts: the text fits two segments and keeps its link; quiet hours
// overnight and across a daylight-saving change end when the local clock says; a state's
// zone; which Twilio errors are permanent; the opt-out keywords.
import { describe, expect, it } from "vitest";
import type { NotificationEvent } from "./events";
import { inQuietHours, quietHoursEnd, SMS_MAX_LENGTH, smsBody, zoneOfState } from "./sms";
import { isPermanentTwilioError, optKeyword } from "./twilio";

const event = (summary: string, facilityId: string | null = "fac_1"): NotificationEvent => ({
  id: "evt_1",
  type: "finding.failing",
  timestamp: "2026-12-01T10:00:00Z",
  facilityId,
  facilityName: "Mission",
  summary,
  data: {},
});

describe("smsBody", () => {
  it("shortens a long summary, keeps the link and the STOP line", () => {
    const body = smsBody(event("x".repeat(1000)), "https://app.prep.dev/");
    expect(body.length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
    expect(body).toContain("… https://app.prep.dev/locations/fac_1 Reply STOP to opt out.");
    expect(smsBody(event("Short", null), "https://app.prep.dev")).toBe(
      "Prep: Short https://app.prep.dev/ Reply STOP to opt out.",
    );
  });
});

describe("quiet hours", () => {
  const night = { from: "21:00", to: "08:00" };
  it("hold overnight and end at the local 'to'", () => {
    // 23:30 in Los Angeles (PST, UTC-8) = 07:30 UTC.
    const at = Date.parse("2026-12-02T07:30:00Z");
    expect(inQuietHours(night, "America/Los_Angeles", at)).toBe(true);
    expect(inQuietHours(night, "UTC", at)).toBe(true);
    // 10:30 in Tokyo: not quiet.
    expect(inQuietHours(night, "Asia/Tokyo", Date.parse("2026-12-02T01:30:00Z"))).toBe(false);
  });

  it("end at 08:00 local, also across a daylight-saving change", () => {
    // 2027-03-14 02:00 PST → PDT in Los Angeles; 01:00 PST = 09:00 UTC.
    const end = quietHoursEnd(night, "America/Los_Angeles", Date.parse("2027-03-14T09:00:00Z"));
    expect(new Date(end as number).toISOString()).toBe("2027-03-14T15:00:00.000Z"); // 08:00 PDT
    expect(quietHoursEnd(night, "America/Los_Angeles", Date.parse("2027-03-14T20:00:00Z"))).toBeNull();
  });

  it("take a location's zone from its state", () => {
    expect(zoneOfState("ca")).toBe("America/Los_Angeles");
    expect(zoneOfState("TX")).toBe("America/Chicago");
    expect(zoneOfState("ZZ")).toBeNull();
    expect(zoneOfState(undefined)).toBeNull();
  });
});

describe("Twilio's errors and keywords", () => {
  it("fails for good on recipient errors and retries rate limits, outages and Prep's account", () => {
    expect(isPermanentTwilioError(21211, 400)).toBe(true);
    expect(isPermanentTwilioError(21610, 400)).toBe(true);
    expect(isPermanentTwilioError(21614, 400)).toBe(true);
    expect(isPermanentTwilioError(20429, 429)).toBe(false);
    expect(isPermanentTwilioError(null, 503)).toBe(false);
    expect(isPermanentTwilioError(null, null)).toBe(false);
    expect(isPermanentTwilioError(20003, 401)).toBe(false);
    expect(isPermanentTwilioError(21606, 400)).toBe(false);
    expect(isPermanentTwilioError(99999, 400)).toBe(true);
  });

  it("reads STOP and START keywords as the whole message, any case", () => {
    for (const word of ["STOP", " stop ", "StopAll", "unsubscribe", "CANCEL", "end", "QUIT"])
      expect(optKeyword(word)).toBe("stop");
    for (const word of ["START", "yes", "Unstop"]) expect(optKeyword(word)).toBe("start");
    for (const word of ["stop it", "hello", "", "STOP!"]) expect(optKeyword(word)).toBeNull();
  });
});
