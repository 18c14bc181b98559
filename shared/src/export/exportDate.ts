// Dates in exports are calendar days (YYYY-MM-DD) in one time zone, so a document exported in
// California in the evening is not dated tomorrow. Intl works in browsers and Node alike.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    } catch {
      // An unknown time zone is a caller's slip, not a reason to refuse the export: use UTC.
      formatter = formatterFor("UTC");
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar day of a time in a time zone (IANA name, default UTC) as YYYY-MM-DD; "" for an invalid time. */
export function isoDate(time: Date | number, timeZone = "UTC"): string {
  const date = typeof time === "number" ? new Date(time) : time;
  if (Number.isNaN(date.getTime())) return "";
  const parts = formatterFor(timeZone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}
