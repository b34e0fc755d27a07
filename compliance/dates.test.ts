import { describe, expect, it } from "vitest";
import { addYears, fromDay, isCalendarDate, toDay } from "./dates";

describe("dates", () => {
  it("rejects impossible calendar dates", () => {
    expect(isCalendarDate("2025-02-30")).toBe(false);
    expect(isCalendarDate("2025-13-01")).toBe(false);
    expect(isCalendarDate("2024-02-29")).toBe(true);
    expect(isCalendarDate("2023-02-29")).toBe(false);
    expect(isCalendarDate("2025-1-01")).toBe(false);
  });
  it("round-trips day numbers", () => {
    for (const d of ["1970-01-01", "2000-02-29", "2026-12-31", "0999-01-01"])
      expect(fromDay(toDay(d))).toBe(d);
  });
  it("clamps Feb 29 anniversaries to Feb 28", () => {
    expect(fromDay(addYears(toDay("2024-02-29"), 3))).toBe("2027-02-28");
    expect(fromDay(addYears(toDay("2023-03-14"), 3))).toBe("2026-03-14");
    expect(fromDay(addYears(toDay("2023-03-14"), 1))).toBe("2024-03-14");
  });
  it("agrees across the edges of the tabulated years (1900–2299)", () => {
    for (const d of ["1899-12-31", "1900-01-01", "2299-12-31", "2300-01-01"])
      expect(fromDay(toDay(d))).toBe(d);
    expect(toDay("2300-01-01") - toDay("2299-12-31")).toBe(1);
    expect(fromDay(addYears(toDay("1896-02-29"), 4))).toBe("1900-02-28");
    expect(fromDay(addYears(toDay("2296-02-29"), 5))).toBe("2301-02-28");
    expect(fromDay(addYears(toDay("2299-06-30"), 1))).toBe("2300-06-30");
  });
});
