// A Go-fmt-compatible formatter for the verbs templates use: Sprint, Sprintln, Sprintf.
import { GoFloat, formatFloat, formatValue, goTypeName, intString, isMap, kindOf, numberOf, sortedKeys } from './values.ts';

interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number; // -1 when absent
  prec: number; // -1 when absent
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a, false);
  }
  return out;
}

/** fmt.Sprintln: always spaces, then a newline. */
export function sprintln(args: unknown[]): string {
  return args.map((a) => formatValue(a, false)).join(' ') + '\n';
}

/**
 * Pads to the width. Zero padding goes after the sign only for numbers (`signed`); Go pads
 * anything else with zeros on the far left (`%05d` of the string "-3 1" is "%!d(string=0-3 1)").
 */
function padTo(s: string, sp: Spec, zeroOk = true, signed = false): string {
  const len = [...s].length;
  if (sp.width < 0 || len >= sp.width) return s;
  const n = sp.width - len;
  if (sp.minus) return s + ' '.repeat(n);
  if (sp.zero && zeroOk) {
    const m = signed ? /^[+\- ]/.exec(s) : null;
    if (m) return m[0] + '0'.repeat(n) + s.slice(1);
    return '0'.repeat(n) + s;
  }
  return ' '.repeat(n) + s;
}

function bad(verb: string, v: unknown, sp: Spec): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  // Go prints the operand with %v and the flags still in force (so padding applies inside).
  return `%!${verb}(${goTypeName(v)}=${fmtOne(v, 'v', sp)})`;
}

function rune(n: number): string {
  return n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : '\uFFFD';
}

/** strconv.Quote. */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c < 0x7f) out += ch;
    else if (!asciiOnly && /[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/u.test(ch) && c !== 0xad && !(c >= 0x2000 && c <= 0x200a && c !== 0x2000 - 1 && false)) out += ch;
    else if (c > 0xffff) out += '\\U' + c.toString(16).padStart(8, '0');
    else out += '\\u' + c.toString(16).padStart(4, '0');
  }
  return out + '"';
}

/** strconv.QuoteRune. */
function quoteRune(r: string): string {
  if (r === "'") return "'\\''";
  if (r === '"') return `'"'`;
  return `'${goQuote(r).slice(1, -1)}'`;
}

function fmtInt(n: number, verb: string, sp: Spec): string {
  const neg = n < 0;
  const abs = Math.abs(n);
  let digits: string;
  switch (verb) {
    case 'd': case 'v': digits = intString(abs); break;
    case 'x': digits = BigInt(abs).toString(16); break;
    case 'X': digits = BigInt(abs).toString(16).toUpperCase(); break;
    case 'o': case 'O': digits = BigInt(abs).toString(8); break;
    case 'b': digits = BigInt(abs).toString(2); break;
    default: digits = intString(abs);
  }
  if (sp.prec >= 0) digits = digits.padStart(sp.prec, '0');
  if (sp.sharp) {
    if (verb === 'x') digits = '0x' + digits;
    else if (verb === 'X') digits = '0X' + digits;
    else if (verb === 'o' && digits[0] !== '0') digits = '0' + digits;
    else if (verb === 'b') digits = '0b' + digits;
  }
  if (verb === 'O') digits = '0o' + digits;
  const sign = neg ? '-' : sp.plus ? '+' : sp.space ? ' ' : '';
  return padTo(sign + digits, sp, sp.prec < 0, true);
}

/**
 * JS rounds exact ties away from zero; Go's strconv rounds them to even (1.25 → "1.2").
 * Detect an exact tie from a longer exact expansion and round it to even.
 */
function halfEven(short: string, long: string, extra: number): string {
  const [lm, le] = long.split('e') as [string, string | undefined];
  const tail = lm.slice(lm.length - extra);
  if (!/^50*$/.test(tail)) return short;
  let kept = lm.slice(0, lm.length - extra);
  if (kept.endsWith('.')) kept = kept.slice(0, -1);
  const last = kept.replace('.', '').at(-1);
  if (last === undefined || Number(last) % 2 !== 0) return short;
  return le === undefined ? kept : `${kept}e${le}`;
}
function toFixedGo(a: number, p: number): string {
  if (a >= 1e21) return a.toFixed(p);
  const extra = Math.min(100, p + 40) - p;
  return halfEven(a.toFixed(p), a.toFixed(p + extra), extra);
}
function toExponentialGo(a: number, p: number): string {
  const extra = Math.min(100, p + 40) - p;
  return halfEven(a.toExponential(p), a.toExponential(p + extra), extra);
}

function expForm(mant: string, exp: number, upper: boolean): string {
  const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
  return `${mant}${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${e}`;
}

/** Formats a float for %e %E %f %F %g %G %v. */
export function fmtFloat(f: number, verb: string, sp: Spec): string {
  let body: string;
  const neg = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  if (!Number.isFinite(f)) {
    body = Number.isNaN(f) ? 'NaN' : 'Inf';
    const sign = Number.isNaN(f) ? (sp.plus ? '+' : sp.space ? ' ' : '') : neg ? '-' : sp.plus || verb === 'v' ? '+' : sp.space ? ' ' : '';
    return padTo(sign + body, sp, false, true);
  }
  switch (verb) {
    case 'e': case 'E': {
      const p = sp.prec < 0 ? 6 : sp.prec;
      const [m, e] = toExponentialGo(a, p).split('e') as [string, string];
      body = expForm(m, Number(e), verb === 'E');
      break;
    }
    case 'f': case 'F':
      body = toFixedGo(a, sp.prec < 0 ? 6 : sp.prec);
      break;
    default: { // g, G, v
      if (sp.prec < 0) {
        body = formatFloat(a);
      } else {
        const p = sp.prec === 0 ? 1 : sp.prec;
        const [m0, e0] = toExponentialGo(a, p - 1).split('e') as [string, string];
        let m = m0;
        if (m.includes('.') && !sp.sharp) m = m.replace(/0+$/, '').replace(/\.$/, '');
        const exp = Number(e0);
        const nd = m.replace('.', '').length;
        let eprec = p;
        if (eprec > nd && nd >= exp + 1) eprec = nd;
        if (exp < -4 || exp >= eprec) body = expForm(m, exp, verb === 'G');
        else {
          const digits = m.replace('.', '');
          const dp = exp + 1;
          if (dp <= 0) body = '0.' + '0'.repeat(-dp) + digits;
          else if (dp >= digits.length) body = digits + '0'.repeat(dp - digits.length);
          else body = digits.slice(0, dp) + '.' + digits.slice(dp);
        }
      }
      if (verb === 'G') body = body.toUpperCase();
    }
  }
  const sign = neg ? '-' : sp.plus ? '+' : sp.space ? ' ' : '';
  return padTo(sign + body, sp, true, true);
}

function hexString(s: string, sp: Spec, upper: boolean): string {
  let bytes = Buffer.from(s, 'utf8');
  if (sp.prec >= 0) bytes = bytes.subarray(0, sp.prec);
  const parts = [...bytes].map((b) => {
    const h = b.toString(16).padStart(2, '0');
    return upper ? h.toUpperCase() : h;
  });
  let out: string;
  if (sp.space) out = parts.map((p) => (sp.sharp ? (upper ? '0X' : '0x') + p : p)).join(' ');
  else out = (sp.sharp && parts.length ? (upper ? '0X' : '0x') : '') + parts.join('');
  return padTo(out, sp);
}

function fmtOne(v: unknown, verb: string, sp: Spec): string {
  if (verb === 'T') return padTo(goTypeName(v), sp);
  if (verb === 'v' && sp.sharp) return padTo(goSyntax(v), sp);
  const k = kindOf(v);
  switch (k) {
    case 'invalid':
    case 'nil':
      return verb === 'v' ? padTo('<nil>', sp) : bad(verb, null, sp);
    case 'bool':
      return verb === 'v' || verb === 't' ? padTo(v ? 'true' : 'false', sp) : bad(verb, v, sp);
    case 'int': {
      const n = numberOf(v);
      switch (verb) {
        case 'v': case 'd': case 'x': case 'X': case 'o': case 'O': case 'b': return fmtInt(n, verb, sp);
        case 'c': return padTo(rune(n), sp);
        case 'q': return padTo(quoteRune(rune(n)), sp);
        case 'U': return padTo('U+' + n.toString(16).toUpperCase().padStart(4, '0'), sp);
        // Intentional: float verbs accept integers (Go prints %!f(int64=3)).
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': return fmtFloat(n, verb, sp);
        default: return bad(verb, v, sp);
      }
    }
    case 'float': {
      const f = numberOf(v);
      switch (verb) {
        case 'v': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': return fmtFloat(f, verb, sp);
        default: return bad(verb, v instanceof GoFloat ? v : f, sp);
      }
    }
    case 'string': {
      const s = v as string;
      switch (verb) {
        case 'v': case 's': {
          const t = sp.prec >= 0 ? [...s].slice(0, sp.prec).join('') : s;
          return padTo(t, sp);
        }
        case 'q': return padTo(sp.sharp && !/[`\n\r\t\x00-\x1f\x7f]/.test(s) && !s.includes('\uFFFD') ? '`' + s + '`' : goQuote(s, sp.plus), sp);
        case 'x': return hexString(s, sp, false);
        case 'X': return hexString(s, sp, true);
        default: return bad(verb, v, sp);
      }
    }
    case 'slice':
      return '[' + (v as unknown[]).map((x) => fmtOne(x, verb, sp)).join(' ') + ']';
    case 'map': {
      const m = v as Record<string, unknown>;
      return 'map[' + sortedKeys(m).map((key) => `${fmtOne(key, verb, sp)}:${fmtOne(m[key], verb, sp)}`).join(' ') + ']';
    }
    default:
      return verb === 'v' || verb === 's' ? padTo(formatValue(v, false), sp) : bad(verb, v, sp);
  }
}

/** %#v: Go-syntax representation. */
function goSyntax(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return '<nil>';
    case 'string': return goQuote(v as string);
    case 'int': return intString(numberOf(v));
    case 'float': {
      const s = formatFloat(numberOf(v));
      return s;
    }
    case 'bool': return String(v);
    case 'slice': return '[]interface {}{' + (v as unknown[]).map(goSyntax).join(', ') + '}';
    case 'map': {
      const m = v as Record<string, unknown>;
      return 'map[string]interface {}{' + sortedKeys(m).map((k) => `${goQuote(k)}:${goSyntax(m[k])}`).join(', ') + '}';
    }
    default: return formatValue(v, false);
  }
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  const n = format.length;
  let i = 0;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const sp: Spec = { plus: false, minus: false, sharp: false, space: false, zero: false, width: -1, prec: -1 };
    for (; i < n; i++) {
      const c = format[i];
      if (c === '+') sp.plus = true;
      else if (c === '-') sp.minus = true;
      else if (c === '#') sp.sharp = true;
      else if (c === ' ') sp.space = true;
      else if (c === '0') sp.zero = !sp.minus;
      else break;
    }
    if (format[i] === '*') {
      i++;
      const w = args[argi++];
      if (kindOf(w) === 'int') {
        sp.width = numberOf(w);
        if (sp.width < 0) {
          sp.minus = true;
          sp.width = -sp.width;
        }
      } else out += '%!(BADWIDTH)';
    } else {
      const m = /^\d+/.exec(format.slice(i, i + 10));
      if (m) {
        sp.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        const p = args[argi++];
        if (kindOf(p) === 'int' && numberOf(p) >= 0) sp.prec = numberOf(p);
        else out += '%!(BADPREC)';
      } else {
        const m = /^\d+/.exec(format.slice(i, i + 10));
        sp.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    if (sp.minus) sp.zero = false;
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const v = args[argi++];
    out += fmtOne(v, verb, sp);
  }
  if (argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => (a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${formatValue(a, false)}`)).join(', ') + ')';
  }
  return out;
}

export { isMap };
