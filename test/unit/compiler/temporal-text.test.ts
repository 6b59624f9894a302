import { describe, expect, it } from "vitest";
import {
  formatPostgresTimestamp,
  formatUtcDateTime,
  parsePostgresInterval,
  parseTimestamp,
} from "../../../src/core/types/temporal-text.ts";

describe("timestamps as text", () => {
  it("formats UTC with milliseconds, or microseconds for MySQL", () => {
    const d = new Date("2024-03-04T05:06:07.089Z");
    expect(formatUtcDateTime(d)).toBe("2024-03-04 05:06:07.089");
    expect(formatUtcDateTime(d, true)).toBe("2024-03-04 05:06:07.089000");
    expect(formatUtcDateTime(new Date("0099-12-31T23:59:59.999Z"))).toBe("0099-12-31 23:59:59.999");
  });

  it("writes years before 1 in PostgreSQL's BC form", () => {
    expect(formatPostgresTimestamp(new Date("2024-03-04T05:06:07.089Z"))).toBe("2024-03-04T05:06:07.089Z");
    const bc = new Date(Date.UTC(2000, 2, 15, 12));
    bc.setUTCFullYear(-43);
    expect(formatPostgresTimestamp(bc)).toBe("0044-03-15 12:00:00.000+00 BC");
    expect(parseTimestamp("0044-03-15 12:00:00+00 BC")).toEqual(bc);
  });

  it("reads offsets in hours, minutes and seconds, Z, or none (UTC)", () => {
    const utc = new Date("2024-01-02T03:04:05.123Z");
    expect(parseTimestamp("2024-01-02 03:04:05.123456")).toEqual(utc);
    expect(parseTimestamp("2024-01-02T03:04:05.123Z")).toEqual(utc);
    expect(parseTimestamp("2024-01-02 05:04:05.123+02")).toEqual(utc);
    expect(parseTimestamp("2024-01-01 23:34:05.123-03:30")).toEqual(utc);
    expect(parseTimestamp("1900-01-01 05:21:10+05:21:10")).toEqual(new Date("1900-01-01T00:00:00Z"));
    expect(parseTimestamp("2024-01-02 03:04")).toEqual(new Date("2024-01-02T03:04:00Z"));
    expect(parseTimestamp("2024-01-02")).toEqual(new Date("2024-01-02T00:00:00Z"));
  });

  it("keeps years below 100 (Date.UTC would read them as 19xx)", () => {
    expect(parseTimestamp("0044-03-15 00:00:00").getUTCFullYear()).toBe(44);
  });

  it("maps infinity to the extreme dates and garbage to an Invalid Date", () => {
    expect(parseTimestamp("infinity").getTime()).toBe(8.64e15);
    expect(parseTimestamp("-infinity").getTime()).toBe(-8.64e15);
    expect(parseTimestamp("yesterday").getTime()).toBeNaN();
  });
});

describe("PostgreSQL intervals", () => {
  it("reads the postgres style", () => {
    expect(parsePostgresInterval("00:00:01.2345")).toBe(1234.5);
    expect(parsePostgresInterval("-24:00:00")).toBe(-86_400_000);
    expect(parsePostgresInterval("1 day 02:03:04.5")).toBe(93_784_500);
    expect(parsePostgresInterval("-1 days +02:00:00")).toBe(-79_200_000);
    expect(parsePostgresInterval("00:00:00.000001")).toBe(0.001);
    expect(parsePostgresInterval("1 year 2 mons -3 days -04:05:06.7")).toBe(
      365.25 * 86_400_000 + 2 * 30 * 86_400_000 - 3 * 86_400_000 - 14_706_700,
    );
  });

  it("reads the iso_8601 style", () => {
    expect(parsePostgresInterval("P1DT2H3M4.5S")).toBe(93_784_500);
    expect(parsePostgresInterval("PT-1.5S")).toBe(-1500);
    expect(parsePostgresInterval("PT0S")).toBe(0);
  });
});
