// Go time layouts ("2006-01-02T15:04:05Z07:00") and durations ("1h30m").
import { EvalError } from '../errors.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const p2 = (n: number): string => String(n).padStart(2, '0');

// Layout tokens, longest first where prefixes overlap.
const TOKENS = ['January', 'Jan', 'Monday', 'Mon', 'MST', '2006', '-07:00:00', '-0700', '-07:00', '-07', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07',
  '.000000000', '.000000', '.000', '.999999999', '.999999', '.999', ',000', '002', '01', '02', '03', '04', '05', '06', '15', '_2', 'PM', 'pm', '1', '2', '3', '4', '5'];

/** Formats `d` shifted by `offsetMin` minutes east of UTC, named `zone`, with a Go layout. */
export function goFormat(d: Date, layout: string, offsetMin = 0, zone = 'UTC'): string {
  const t = new Date(d.getTime() + offsetMin * 60_000);
  const Y = t.getUTCFullYear(), M = t.getUTCMonth(), D = t.getUTCDate(), h = t.getUTCHours(), m = t.getUTCMinutes(), s = t.getUTCSeconds();
  const ms = t.getUTCMilliseconds();
  const off = (colon: boolean, secs: boolean, z: boolean): string => {
    if (z && offsetMin === 0) return 'Z';
    const sign = offsetMin < 0 ? '-' : '+';
    const a = Math.abs(offsetMin);
    return sign + p2(Math.floor(a / 60)) + (colon ? ':' : '') + p2(a % 60) + (secs ? (colon ? ':' : '') + '00' : '');
  };
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    for (const tok of TOKENS) {
      if (!layout.startsWith(tok, i)) continue;
      // Go treats "Jan"/"Mon" etc. only as tokens; digits like "1" always are month tokens.
      switch (tok) {
        case 'January': out += MONTHS[M]; break;
        case 'Jan': out += MONTHS[M]!.slice(0, 3); break;
        case 'Monday': out += DAYS[t.getUTCDay()]; break;
        case 'Mon': out += DAYS[t.getUTCDay()]!.slice(0, 3); break;
        case 'MST': out += zone; break;
        case '2006': out += String(Y).padStart(4, '0'); break;
        case '06': out += p2(Y % 100); break;
        case '01': out += p2(M + 1); break;
        case '1': out += String(M + 1); break;
        case '02': out += p2(D); break;
        case '2': out += String(D); break;
        case '_2': out += String(D).padStart(2, ' '); break;
        case '002': {
          const start = Date.UTC(Y, 0, 1);
          out += String(Math.floor((Date.UTC(Y, M, D) - start) / 86400_000) + 1).padStart(3, '0');
          break;
        }
        case '15': out += p2(h); break;
        case '03': out += p2(h % 12 === 0 ? 12 : h % 12); break;
        case '3': out += String(h % 12 === 0 ? 12 : h % 12); break;
        case '04': out += p2(m); break;
        case '4': out += String(m); break;
        case '05': out += p2(s); break;
        case '5': out += String(s); break;
        case 'PM': out += h >= 12 ? 'PM' : 'AM'; break;
        case 'pm': out += h >= 12 ? 'pm' : 'am'; break;
        case '-0700': out += off(false, false, false); break;
        case '-07:00': out += off(true, false, false); break;
        case '-07': out += off(false, false, false).slice(0, 3); break;
        case '-07:00:00': out += off(true, true, false); break;
        case 'Z0700': out += off(false, false, true); break;
        case 'Z07:00': out += off(true, false, true); break;
        case 'Z07': out += offsetMin === 0 ? 'Z' : off(false, false, false).slice(0, 3); break;
        case 'Z07:00:00': out += off(true, true, true); break;
        default: {
          // fractional seconds
          const digits = tok.length - 1;
          const frac = (String(ms).padStart(3, '0') + '000000').slice(0, digits);
          if (tok[1] === '0') out += '.' + frac;
          else if (tok[0] === ',') out += ',' + frac;
          else {
            const trimmed = frac.replace(/0+$/, '');
            if (trimmed) out += '.' + trimmed;
          }
        }
      }
      i += tok.length;
      continue outer;
    }
    out += layout[i];
    i++;
  }
  return out;
}

const UNITS: Record<string, number> = {
  ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600,
};
const EXTENDED: Record<string, number> = { d: 86400, w: 7 * 86400, mo: 30 * 86400, y: 365 * 86400 };

/** Parses a Go duration (plus d, w, mo, y when extended) into seconds. */
export function parseDuration(v: string, extended = false): number {
  const s = v.trim();
  if (s === '0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)[a-zµμ]+)+$/.exec(s);
  if (!m || s === '') throw new EvalError(`time: invalid duration ${JSON.stringify(v)}`);
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)([a-zµμ]+)/g)) {
    const unit = part[2]!;
    const f = UNITS[unit] ?? (extended ? EXTENDED[unit] : undefined);
    if (f === undefined) throw new EvalError(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(v)}`);
    total += Number(part[1]) * f;
  }
  return m[1] === '-' ? -total : total;
}

/** time.Duration.String() for a number of seconds. */
export function durationString(seconds: number): string {
  let ns = Math.round(seconds * 1e9);
  if (ns === 0) return '0s';
  const neg = ns < 0;
  ns = Math.abs(ns);
  let out: string;
  if (ns < 1e9) {
    const [unit, div] = ns < 1e3 ? ['ns', 1] : ns < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = trimFrac(String(ns / (div as number))) + unit;
  } else {
    const h = Math.floor(ns / 3600e9);
    const mnt = Math.floor((ns % 3600e9) / 60e9);
    const sec = (ns % 60e9) / 1e9;
    out = (h ? `${h}h` : '') + (h || mnt ? `${mnt}m` : '') + trimFrac(sec.toFixed(9)) + 's';
  }
  return neg ? '-' + out : out;
}

function trimFrac(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Parses RFC3339 (or anything Date understands); throws on garbage. */
export function parseTime(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v * 1000);
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime())) throw new EvalError(`cannot parse time ${JSON.stringify(v)}`);
  return d;
}

/** Fixed offset in minutes for a zone name ("UTC", "+02:00", or an IANA name via Intl). */
export function zoneOffset(zone: string, at: Date): number {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at);
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const mm = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return mm ? (mm[1] === '-' ? -1 : 1) * (Number(mm[2]) * 60 + Number(mm[3])) : 0;
  } catch {
    return 0;
  }
}
