// Time-based condition forms: `time {after, before}`, `dayOfWeek {...}`, `cron` + `duration`.
// They read only the injected clock, in the process's local time zone like the original.

import { nextFire, parseCron, parseDuration, previousFire } from './cron.ts';

export interface TimeOutcome {
  pass: boolean;
  /** What was observed (e.g. "18:03", "saturday"). */
  actual: string;
  /** The window as written (e.g. "09:00-17:00"). */
  expected: string;
  error?: string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function optionalString(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map(String) : String(v).split(',');
}

function parseClock(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return undefined;
  return h * 60 + min;
}

/**
 * `time: {after: "09:00", before: "17:00"}` — inclusive at minute resolution. A window whose
 * `after` is later than its `before` wraps midnight (22:00–06:00); the original anchored both
 * ends to today, which made such windows never open (deviation, documented).
 */
export function evaluateTime(raw: { after?: unknown; before?: unknown }, now: Date): TimeOutcome {
  const spec = { after: optionalString(raw.after), before: optionalString(raw.before) };
  const minute = now.getHours() * 60 + now.getMinutes();
  const actual = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
  const expected = `${spec.after ?? ''}-${spec.before ?? ''}`;
  const after = spec.after === undefined ? undefined : parseClock(spec.after);
  const before = spec.before === undefined ? undefined : parseClock(spec.before);
  if ((spec.after !== undefined && after === undefined) || (spec.before !== undefined && before === undefined)) {
    return { pass: false, actual, expected, error: `time window ${JSON.stringify(expected)}: expected HH:MM` };
  }
  if (after === undefined && before === undefined) {
    return { pass: false, actual, expected, error: 'time window needs after and/or before' };
  }
  let pass: boolean;
  if (after !== undefined && before !== undefined) {
    pass = after <= before ? minute >= after && minute <= before : minute >= after || minute <= before;
  } else if (after !== undefined) {
    pass = minute >= after;
  } else {
    pass = minute <= (before as number);
  }
  return { pass, actual, expected };
}

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function dayIndex(name: string): number | undefined {
  const n = name.trim().toLowerCase();
  const i = DAYS.findIndex((d) => d === n || d.slice(0, 3) === n);
  return i < 0 ? undefined : i;
}

/**
 * `dayOfWeek: {weekday: true}` / `{weekend: true}` / `{in: [monday]}` / `{notIn: [...]}` —
 * English day names (or 3-letter abbreviations), case-insensitive; every given check must hold.
 */
export function evaluateDayOfWeek(
  raw: { in?: unknown; notIn?: unknown; weekday?: unknown; weekend?: unknown }, now: Date,
): TimeOutcome {
  const spec = {
    in: stringList(raw.in), notIn: stringList(raw.notIn),
    weekday: raw.weekday === true || raw.weekday === 'true',
    weekend: raw.weekend === true || raw.weekend === 'true',
  };
  const day = now.getDay();
  const actual = DAYS[day];
  const described: string[] = [];
  let pass = true;
  if (spec.weekday === true) { described.push('weekday'); pass &&= day >= 1 && day <= 5; }
  if (spec.weekend === true) { described.push('weekend'); pass &&= day === 0 || day === 6; }
  for (const [key, list] of [['in', spec.in], ['notIn', spec.notIn]] as const) {
    if (list === undefined) continue;
    const idx = list.map(dayIndex);
    const bad = list.find((_, i) => idx[i] === undefined);
    if (bad !== undefined) {
      return { pass: false, actual, expected: key, error: `unknown day ${JSON.stringify(bad)}` };
    }
    described.push(`${key} [${list.join(', ')}]`);
    pass &&= key === 'in' ? idx.includes(day) : !idx.includes(day);
  }
  if (described.length === 0) return { pass: false, actual, expected: '', error: 'dayOfWeek sets no check' };
  return { pass, actual, expected: described.join(' and ') };
}

/**
 * `cron: "0 9 * * 1-5"` with `duration: 8h` — open when the schedule fired within the last
 * `duration`. Without a duration the window lasts one natural period of the schedule (from the
 * last fire to the fire after it), as the reference describes.
 */
export function evaluateCron(expr: string, duration: string | undefined, now: Date): TimeOutcome {
  const actual = now.toISOString();
  const expected = duration ? `${expr} for ${duration}` : expr;
  let schedule;
  try {
    schedule = parseCron(expr);
  } catch (err) {
    return { pass: false, actual, expected, error: (err as Error).message };
  }
  let windowMs: number | undefined;
  if (duration !== undefined && duration.trim() !== '' && duration.trim() !== '0') {
    windowMs = parseDuration(duration);
    if (windowMs === undefined) {
      return { pass: false, actual, expected, error: `invalid duration ${JSON.stringify(duration)}` };
    }
  }
  const last = previousFire(schedule, now, windowMs ?? Infinity);
  if (!last) return { pass: false, actual, expected };
  if (windowMs === undefined) {
    const following = nextFire(schedule, last);
    if (!following) return { pass: false, actual, expected };
    windowMs = following.getTime() - last.getTime();
  }
  return { pass: now.getTime() - last.getTime() <= windowMs, actual, expected };
}
