// A small 5-field cron matcher for `cron:` conditions (time windows). Only what a window needs:
// parse, "does this minute match", and walk to the previous / next matching minute in the
// process's local time zone (the original evaluates windows in the process's local zone).

export interface CronSchedule {
  readonly source: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  /** Cron's day rule: when both day-of-month and day-of-week are restricted, either may match. */
  readonly dayOr: boolean;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

function parseAtom(text: string, names: readonly string[] | undefined, offset: number): number {
  const lower = text.toLowerCase();
  if (names) {
    const i = names.indexOf(lower);
    if (i >= 0) return i + offset;
  }
  if (!/^\d+$/.test(text)) throw new Error(`not a number: "${text}"`);
  return Number(text);
}

function parseField(
  text: string, min: number, max: number, names?: readonly string[], nameOffset = 0,
): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const [rangeText, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (rangeText === '*' || rangeText === '?') {
      lo = min; hi = max;
      if (stepText === undefined) star = true;
    } else if (rangeText.includes('-')) {
      const [a, b] = rangeText.split('-');
      lo = parseAtom(a, names, nameOffset); hi = parseAtom(b, names, nameOffset);
    } else {
      lo = parseAtom(rangeText, names, nameOffset);
      hi = stepText === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`"${part}" is outside ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

/** Parses a 5-field expression (or an @macro). Throws with a readable message when invalid. */
export function parseCron(expr: string): CronSchedule {
  const source = expr.trim();
  const fields = (MACROS[source.toLowerCase()] ?? source).split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron "${expr}": expected 5 fields, got ${fields.length}`);
  try {
    const minutes = parseField(fields[0], 0, 59);
    const hours = parseField(fields[1], 0, 23);
    const days = parseField(fields[2], 1, 31);
    const months = parseField(fields[3], 1, 12, MONTH_NAMES, 1);
    const weekdays = parseField(fields[4], 0, 7, DAY_NAMES, 0);
    if (weekdays.values.has(7)) weekdays.values.add(0); // 7 is Sunday too
    return {
      source, minutes: minutes.values, hours: hours.values, days: days.values,
      months: months.values, weekdays: weekdays.values, dayOr: !days.star && !weekdays.star,
    };
  } catch (err) {
    throw new Error(`cron "${expr}": ${(err as Error).message}`, { cause: err });
  }
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = s.days.has(d.getDate());
  const dow = s.weekdays.has(d.getDay());
  return s.dayOr ? dom || dow : dom && dow;
}

/** True when the minute containing `d` is a fire time. */
export function cronMatches(s: CronSchedule, d: Date): boolean {
  return s.months.has(d.getMonth() + 1) && dayMatches(s, d) && s.hours.has(d.getHours())
    && s.minutes.has(d.getMinutes());
}

const MAX_SEARCH_MINUTES = 366 * 24 * 60 * 5; // enough for any valid schedule (Feb 29 on a weekday)

/**
 * The latest fire time at or before `now` (minute resolution), or undefined when none within
 * `limitMs`. Skips whole days/hours that cannot match so a long search stays cheap.
 */
export function previousFire(s: CronSchedule, now: Date, limitMs = Infinity): Date | undefined {
  const t = new Date(now.getTime());
  t.setSeconds(0, 0);
  const floor = now.getTime() - limitMs;
  for (let i = 0; i < MAX_SEARCH_MINUTES && t.getTime() >= floor; i++) {
    if (!s.months.has(t.getMonth() + 1) || !dayMatches(s, t)) {
      t.setHours(0, 0, 0, 0);
      t.setMinutes(-1); // last minute of the previous day
      continue;
    }
    if (!s.hours.has(t.getHours())) {
      t.setMinutes(0, 0, 0);
      t.setMinutes(-1);
      continue;
    }
    if (s.minutes.has(t.getMinutes())) return t;
    t.setMinutes(t.getMinutes() - 1);
  }
  return undefined;
}

/** The first fire time strictly after `after` (minute resolution). */
export function nextFire(s: CronSchedule, after: Date): Date | undefined {
  const t = new Date(after.getTime());
  t.setSeconds(0, 0);
  t.setMinutes(t.getMinutes() + 1);
  for (let i = 0; i < MAX_SEARCH_MINUTES; i++) {
    if (!s.months.has(t.getMonth() + 1) || !dayMatches(s, t)) {
      t.setHours(24, 0, 0, 0);
      continue;
    }
    if (!s.hours.has(t.getHours())) {
      t.setHours(t.getHours() + 1, 0, 0, 0);
      continue;
    }
    if (s.minutes.has(t.getMinutes())) return t;
    t.setMinutes(t.getMinutes() + 1);
  }
  return undefined;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
  d: 86_400_000, w: 7 * 86_400_000, mo: 30 * 86_400_000, y: 365 * 86_400_000,
};

/**
 * Parses a Go duration (`90s`, `1h30m`) extended with d, w, mo, y as the original's window and
 * rotation fields accept. A bare number is seconds. Returns undefined when malformed.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '' ) return undefined;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const re = /(\d+(?:\.\d+)?)(mo|ns|us|µs|ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    consumed = re.lastIndex;
  }
  return consumed === t.length ? total : undefined;
}
