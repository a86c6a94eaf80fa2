import { afterEach, describe, expect, it, vi } from "vitest";
import { formatAgo, formatDateTime, formatZone } from "./format";

afterEach(() => vi.restoreAllMocks());

describe("formatDateTime", () => {
  it("prints 24-hour local time with the zone", () => {
    vi.spyOn(Date.prototype, "getTimezoneOffset").mockReturnValue(0);
    const utc = formatDateTime("2026-12-01T20:05:09.123Z");
    expect(utc).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(formatDateTime("not a date")).toBe("not a date");
  });

  it("writes offsets east and west of UTC", () => {
    const d = new Date("2026-12-01T00:00:00Z");
    vi.spyOn(Date.prototype, "getTimezoneOffset").mockReturnValue(-60);
    expect(formatZone(d)).toBe("UTC+01:00");
    vi.spyOn(Date.prototype, "getTimezoneOffset").mockReturnValue(330);
    expect(formatZone(d)).toBe("UTC-05:30");
  });

  it("says how long ago", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    expect(formatAgo("2026-12-01T11:59:58Z", now)).toBe("just now");
    expect(formatAgo("2026-12-01T11:58:00Z", now)).toBe("2 min ago");
    expect(formatAgo("2026-11-29T12:00:00Z", now)).toBe("2 d ago");
  });
});
