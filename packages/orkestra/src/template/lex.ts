// Lexer: splits a template source into text and action tokens, in the spirit of Go's
// text/template/parse/lex.go (one pass, positions as offsets) but written as a plain scanner.

export type TokenType =
  | 'text' | 'leftDelim' | 'rightDelim' | 'eof'
  | 'identifier' | 'field' | 'variable' | 'dot' | 'nil' | 'bool'
  | 'string' | 'rawString' | 'char' | 'number'
  | 'pipe' | 'leftParen' | 'rightParen' | 'declare' | 'assign' | 'comma'
  | 'keyword';

export interface Token {
  type: TokenType;
  /** Raw text for literals/names; decoded text for 'text'. */
  value: string;
  offset: number;
  /** Whitespace separated this token from the previous one inside an action. */
  spaceBefore: boolean;
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with',
]);

export class LexError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.offset = offset;
  }
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string): boolean =>
  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' ||
  (c > '\x7f' && /[\p{L}\p{Nd}]/u.test(c));

function trimLeftSpace(s: string): string {
  let i = 0;
  while (i < s.length && isSpace(s[i]!)) i++;
  return s.slice(i);
}
function trimRightSpace(s: string): string {
  let i = s.length;
  while (i > 0 && isSpace(s[i - 1]!)) i--;
  return s.slice(0, i);
}

/** Tokenizes the whole source. Comments are dropped (their trim markers still apply). */
export function lex(src: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let trimNextText = false;
  while (pos <= src.length) {
    const open = src.indexOf('{{', pos);
    let text = open < 0 ? src.slice(pos) : src.slice(pos, open);
    const textStart = pos;
    if (trimNextText) {
      text = trimLeftSpace(text);
      trimNextText = false;
    }
    if (open < 0) {
      if (text) out.push({ type: 'text', value: text, offset: textStart, spaceBefore: false });
      break;
    }
    // Left trim marker: "{{- " (dash followed by a space).
    let p = open + 2;
    if (src[p] === '-' && p + 1 < src.length && isSpace(src[p + 1]!)) {
      text = trimRightSpace(text);
      p += 2;
    }
    if (text) out.push({ type: 'text', value: text, offset: textStart, spaceBefore: false });
    // Comment: "{{/* ... */}}" right after the delimiter (and its trim marker), like Go.
    if (src.startsWith('/*', p)) {
      const close = src.indexOf('*/', p + 2);
      if (close < 0) throw new LexError(p, 'unclosed comment');
      const e = close + 2;
      if (isSpace(src[e] ?? '') && src.startsWith('-}}', e + 1)) {
        trimNextText = true;
        pos = e + 4;
      } else if (src.startsWith('}}', e)) {
        pos = e + 2;
      } else {
        throw new LexError(e, 'comment ends before closing delimiter');
      }
      if (pos >= src.length) break;
      continue;
    }
    out.push({ type: 'leftDelim', value: '{{', offset: open, spaceBefore: false });
    const r = lexAction(src, p, out);
    pos = r.end;
    trimNextText = r.trim;
    if (pos >= src.length) break;
  }
  out.push({ type: 'eof', value: '', offset: src.length, spaceBefore: false });
  return out;
}

function atTerminator(src: string, i: number): boolean {
  if (i >= src.length) return true;
  const c = src[i]!;
  if (isSpace(c)) return true;
  if ('.,|:()'.includes(c)) return true;
  return src.startsWith('}}', i);
}

/** Scans one action starting after "{{" (and its trim marker). Returns where text resumes. */
function lexAction(src: string, start: number, out: Token[]): { end: number; trim: boolean } {
  let i = start;
  let depth = 0;
  let space = false;
  const push = (type: TokenType, value: string, offset: number): void => {
    out.push({ type, value, offset, spaceBefore: space });
    space = false;
  };
  for (;;) {
    if (i >= src.length) throw new LexError(i, 'unclosed action');
    // Right delimiter, with optional " -" trim marker.
    if (isSpace(src[i]!) && src[i + 1] === '-' && src.startsWith('}}', i + 2)) {
      if (depth > 0) throw new LexError(i, 'unclosed left paren');
      out.push({ type: 'rightDelim', value: '}}', offset: i + 2, spaceBefore: true });
      return { end: i + 4, trim: true };
    }
    if (src.startsWith('}}', i)) {
      if (depth > 0) throw new LexError(i, 'unclosed left paren');
      out.push({ type: 'rightDelim', value: '}}', offset: i, spaceBefore: space });
      return { end: i + 2, trim: false };
    }
    const c = src[i]!;
    if (isSpace(c)) {
      space = true;
      i++;
      continue;
    }
    const s = i;
    switch (c) {
      case '|': push('pipe', '|', s); i++; continue;
      case ',': push('comma', ',', s); i++; continue;
      case '(': push('leftParen', '(', s); depth++; i++; continue;
      case ')':
        depth--;
        if (depth < 0) throw new LexError(s, 'unexpected right paren');
        push('rightParen', ')', s); i++; continue;
      case ':':
        if (src[i + 1] !== '=') throw new LexError(s, 'expected :=');
        push('declare', ':=', s); i += 2; continue;
      case '=': push('assign', '=', s); i++; continue;
      case '"': {
        let j = i + 1;
        for (;;) {
          if (j >= src.length || src[j] === '\n') throw new LexError(s, 'unterminated quoted string');
          if (src[j] === '\\') { j += 2; continue; }
          if (src[j] === '"') break;
          j++;
        }
        push('string', src.slice(s, j + 1), s); i = j + 1; continue;
      }
      case '`': {
        const j = src.indexOf('`', i + 1);
        if (j < 0) throw new LexError(s, 'unterminated raw quoted string');
        push('rawString', src.slice(s, j + 1), s); i = j + 1; continue;
      }
      case "'": {
        let j = i + 1;
        for (;;) {
          if (j >= src.length || src[j] === '\n') throw new LexError(s, 'unterminated character constant');
          if (src[j] === '\\') { j += 2; continue; }
          if (src[j] === "'") break;
          j++;
        }
        push('char', src.slice(s, j + 1), s); i = j + 1; continue;
      }
      case '$': {
        let j = i + 1;
        while (j < src.length && isAlnum(src[j]!)) j++;
        if (!atTerminator(src, j)) throw new LexError(j, `bad character ${JSON.stringify(src[j])}`);
        push('variable', src.slice(s, j), s); i = j; continue;
      }
      case '.': {
        const n = src[i + 1];
        if (n === undefined || n < '0' || n > '9') {
          let j = i + 1;
          while (j < src.length && isAlnum(src[j]!)) j++;
          if (j === i + 1) {
            if (!atTerminator(src, j)) throw new LexError(j, `bad character ${JSON.stringify(src[j])}`);
            push('dot', '.', s); i = j; continue;
          }
          if (!atTerminator(src, j)) throw new LexError(j, `bad character ${JSON.stringify(src[j])}`);
          push('field', src.slice(s, j), s); i = j; continue;
        }
        break; // a number like .5
      }
    }
    if (c === '.' || c === '+' || c === '-' || (c >= '0' && c <= '9')) {
      const j = scanNumber(src, i);
      if (j === i || (j < src.length && isAlnum(src[j]!))) {
        let k = j;
        while (k < src.length && isAlnum(src[k]!)) k++;
        throw new LexError(s, `bad number syntax: ${JSON.stringify(src.slice(s, Math.max(k, i + 1)))}`);
      }
      push('number', src.slice(s, j), s); i = j; continue;
    }
    if (isAlnum(c)) {
      let j = i;
      while (j < src.length && isAlnum(src[j]!)) j++;
      if (!atTerminator(src, j)) throw new LexError(j, `bad character ${JSON.stringify(src[j])}`);
      const word = src.slice(s, j);
      if (KEYWORDS.has(word)) push('keyword', word, s);
      else if (word === 'true' || word === 'false') push('bool', word, s);
      else if (word === 'nil') push('nil', word, s);
      else push('identifier', word, s);
      i = j;
      continue;
    }
    throw new LexError(s, `unrecognized character in action: ${JSON.stringify(c)}`);
  }
}

function scanNumber(src: string, i: number): number {
  let j = i;
  if (src[j] === '+' || src[j] === '-') j++;
  let digits = '0123456789_';
  if (src[j] === '0' && j + 1 < src.length && 'xXoObB'.includes(src[j + 1]!)) {
    const p = src[j + 1]!.toLowerCase();
    digits = p === 'x' ? '0123456789abcdefABCDEF_' : p === 'o' ? '01234567_' : '01_';
    j += 2;
  }
  const start = j;
  while (j < src.length && digits.includes(src[j]!)) j++;
  if (src[j] === '.') {
    j++;
    while (j < src.length && digits.includes(src[j]!)) j++;
  }
  if (j === start) return i;
  const exp = digits.length > 16 ? 'pP' : 'eE';
  if (j < src.length && exp.includes(src[j]!)) {
    j++;
    if (src[j] === '+' || src[j] === '-') j++;
    while (j < src.length && '0123456789_'.includes(src[j]!)) j++;
  }
  return j;
}
