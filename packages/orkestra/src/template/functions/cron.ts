// Cron helpers used by Katalogs that convert between a 5-field string and a map of fields.
import { EvalError } from '../errors.ts';
import { isMap } from '../values.ts';
import { str } from './coerce.ts';

export const CRON_FIELDS = ['minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** Expands macros, trims, collapses spaces; empty or not 5 fields → "* * * * *". */
export function cronNormalize(v: unknown): string {
  const s = str(v).trim();
  const expanded = MACROS[s.toLowerCase()] ?? s;
  const parts = expanded.split(/\s+/).filter(Boolean);
  return parts.length === 5 ? parts.join(' ') : '* * * * *';
}

export function cronFromMap(v: unknown): string {
  if (!isMap(v)) throw new EvalError(`cronFromMap: expected a map, got ${typeof v === 'string' ? 'string' : v === null ? 'nil' : typeof v}`);
  return CRON_FIELDS.map((k) => {
    const x = v[k];
    const s = x === undefined || x === null ? '' : str(x).trim();
    return s === '' ? '*' : s;
  }).join(' ');
}

export function cronFromAny(v: unknown): string {
  if (isMap(v)) return cronFromMap(v);
  if (typeof v === 'string') return cronNormalize(v);
  return '* * * * *';
}

export function cronToMap(v: unknown): unknown {
  if (isMap(v)) return v;
  const parts = cronNormalize(v).split(' ');
  const m: Record<string, unknown> = {};
  CRON_FIELDS.forEach((k, i) => (m[k] = parts[i]!));
  return m;
}

export function cronExpr(...parts: unknown[]): string {
  return parts.map((p) => (str(p).trim() === '' ? '*' : str(p).trim())).join(' ');
}

function fields(s: unknown): string[] {
  const t = str(s).trim();
  if (t === '') return ['*', '*', '*', '*', '*'];
  const parts = (MACROS[t.toLowerCase()] ?? t).split(/\s+/);
  if (parts.length !== 5) throw new EvalError(`cron expression must have 5 fields, got ${parts.length}`);
  return parts;
}

export function cronField(s: unknown, i: unknown): string {
  const n = Number(i);
  if (!Number.isInteger(n) || n < 0 || n > 4) throw new EvalError(`cron field index out of range: ${str(i)}`);
  return fields(s)[n]!;
}

const RANGES: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
const NAMES: Record<string, number>[] = [{}, {}, {},
  { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
  { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }];

/** Expands one field to the set of allowed values, or throws. */
function expand(field: string, i: number): Set<number> {
  const [lo, hi] = RANGES[i]!;
  const out = new Set<number>();
  const val = (t: string): number => {
    const n = NAMES[i]![t.toLowerCase()] ?? (/^\d+$/.test(t) ? Number(t) : NaN);
    if (!Number.isInteger(n) || n < lo || n > hi) throw new EvalError(`invalid cron value ${JSON.stringify(t)}`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range, stepS] = part.split('/') as [string, string | undefined];
    const step = stepS === undefined ? 1 : Number(stepS);
    if (!Number.isInteger(step) || step < 1) throw new EvalError(`invalid cron step ${JSON.stringify(part)}`);
    let a: number;
    let b: number;
    if (range === '*' || range === '?') [a, b] = [lo, hi];
    else if (range.includes('-')) {
      const [x, y] = range.split('-') as [string, string];
      [a, b] = [val(x), val(y)];
    } else {
      a = val(range);
      b = stepS === undefined ? a : hi;
    }
    for (let n = a; n <= b; n += step) out.add(i === 4 && n === 7 ? 0 : n);
  }
  return out;
}

export function cronValid(s: unknown): boolean {
  try {
    const f = fields(s);
    f.forEach((x, i) => expand(x, i));
    return str(s).trim() !== '';
  } catch {
    return false;
  }
}

/** The next time (strictly after `from`) matching the expression, or null within 5 years. */
export function nextCronTime(expr: unknown, from: Date): Date | null {
  const f = fields(expr).map((x, i) => expand(x, i));
  const [mins, hours, doms, months, dows] = f as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const domStar = fields(expr)[2] === '*';
  const dowStar = fields(expr)[4] === '*';
  const t = new Date(from.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = from.getTime() + 5 * 366 * 86400_000;
  while (t.getTime() < limit) {
    if (!months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
      continue;
    }
    const domOk = doms.has(t.getUTCDate());
    const dowOk = dows.has(t.getUTCDay());
    const dayOk = domStar || dowStar ? domOk && dowOk : domOk || dowOk;
    if (!dayOk) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
      continue;
    }
    if (!hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
      continue;
    }
    if (!mins.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      continue;
    }
    return t;
  }
  return null;
}

export function cronDescribe(s: unknown): string {
  const [m, h, dom, mon, dow] = fields(s) as [string, string, string, string, string];
  if ([m, h, dom, mon, dow].every((x) => x === '*')) return 'every minute';
  if (/^\d+$/.test(m) && h === '*' && dom === '*' && mon === '*' && dow === '*') return `every hour at minute ${m}`;
  if (/^\d+$/.test(m) && /^\d+$/.test(h) && mon === '*') {
    const at = `at ${h.padStart(2, '0')}:${m.padStart(2, '0')}`;
    if (dom === '*' && dow === '*') return `every day ${at}`;
    if (dom === '*') return `${at} on day-of-week ${dow}`;
    if (dow === '*') return `${at} on day-of-month ${dom}`;
  }
  const mm = /^\*\/(\d+)$/.exec(m);
  if (mm && [h, dom, mon, dow].every((x) => x === '*')) return `every ${mm[1]} minutes`;
  return `minute ${m}, hour ${h}, day-of-month ${dom}, month ${mon}, day-of-week ${dow}`;
}
