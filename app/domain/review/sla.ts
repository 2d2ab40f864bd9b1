// Shared with the browser bundle: when a stage is due, and how that reads.
import type { BusinessHours } from "#db/schema/index";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"];

/** The local weekday, hour and minute of `at` in `timeZone`. */
function localParts(at: Date, timeZone: string): { weekday: string; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "numeric", minute: "numeric", hourCycle: "h23" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { weekday: get("weekday"), hour: Number(get("hour")), minute: Number(get("minute")) };
}

/**
 * When a stage that opened at `start` is due: `hours` later, or, with business
 * hours on, after that many working hours (weekdays between the start and end
 * hour, in the program's time zone, daylight-saving changes included).
 */
export function stageDueAt(start: Date, hours: number, business: BusinessHours): Date {
  if (!business.enabled) return new Date(start.getTime() + hours * HOUR);
  let remaining = hours * 60;
  let at = new Date(Math.ceil(start.getTime() / MINUTE) * MINUTE);
  // Each pass either skips to the next whole hour outside working time or consumes working minutes up to the day's end.
  for (let guard = 0; remaining > 0 && guard < 100_000; guard++) {
    const { weekday, hour, minute } = localParts(at, business.timeZone);
    const working = WEEKDAYS.includes(weekday) && hour >= business.startHour && hour < business.endHour;
    if (!working) {
      at = new Date(at.getTime() + (60 - minute) * MINUTE);
      continue;
    }
    const untilHourEnd = 60 - minute;
    const step = Math.min(remaining, untilHourEnd);
    at = new Date(at.getTime() + step * MINUTE);
    remaining -= step;
  }
  return at;
}

function span(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / MINUTE));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

/** "due in 5 h" or "overdue by 2 h", with whether it is overdue (for highlighting). */
export function dueLabel(now: Date, dueAt: Date): { text: string; overdue: boolean } {
  const left = dueAt.getTime() - now.getTime();
  return left >= 0 ? { text: `due in ${span(left)}`, overdue: false } : { text: `overdue by ${span(-left)}`, overdue: true };
}
