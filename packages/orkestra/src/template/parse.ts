// Recursive-descent parser: tokens → node tree (cf. Go's parse/parse.go: itemList → action →
// pipeline → command → operand → term, with a variable scope stack and else-if chaining).
import { lex, LexError, type Token } from './lex.ts';
import { GoFloat } from './values.ts';
import type {
  ArgNode, CommandNode, IfNode, ListNode, NumberNode, PipeNode, RangeNode, WithNode,
} from './nodes.ts';

export interface ParsedTemplate {
  main: ListNode;
  /** Templates from {{define}} and {{block}}. */
  defines: Map<string, ListNode>;
  /** Bare identifiers that name no known function (resolved as root keys in Katalog mode). */
  unknownIdentifiers: { name: string; offset: number }[];
}

/** Raised with the offset; index.ts turns it into a TemplateSyntaxError. */
export class ParseError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.offset = offset;
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'eof': return 'EOF';
    case 'rightDelim': return '"}}"';
    case 'leftDelim': return '"{{"';
    case 'keyword': return `<${t.value}>`;
    default: return JSON.stringify(t.value);
  }
}

export function parse(src: string, isFunction: (name: string) => boolean, suggest: (name: string) => string = () => ''): ParsedTemplate {
  let tokens: Token[];
  try {
    tokens = lex(src);
  } catch (e) {
    if (e instanceof LexError) throw new ParseError(e.offset, e.message);
    throw e;
  }
  return new Parser(tokens, isFunction, suggest).parseTop();
}

type Stop = 'end' | 'else' | 'eof';

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private lastKeyword = 0;
  private readonly defines = new Map<string, ListNode>();
  private readonly unknown: { name: string; offset: number }[] = [];
  private readonly isFunction: (name: string) => boolean;
  /** `; did you mean \`x\`?` for an unknown function name, or ''. */
  private readonly suggest: (name: string) => string;

  constructor(tokens: Token[], isFunction: (name: string) => boolean, suggest: (name: string) => string) {
    this.tokens = tokens;
    this.isFunction = isFunction;
    this.suggest = suggest;
  }

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  private fail(t: Token | number, msg: string): never {
    throw new ParseError(typeof t === 'number' ? t : t.offset, msg);
  }
  private unexpected(t: Token, context: string): never {
    this.fail(t, `unexpected ${describe(t)} in ${context}`);
  }
  private expect(type: Token['type'], context: string): Token {
    const t = this.next();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  parseTop(): ParsedTemplate {
    const main: ListNode = { nodes: [] };
    for (;;) {
      const t = this.peek();
      if (t.type === 'eof') break;
      if (t.type === 'leftDelim' && this.peek(1).type === 'keyword' && this.peek(1).value === 'define') {
        this.pos += 2;
        this.parseDefine();
        continue;
      }
      const r = this.item(main);
      if (r === 'end' || r === 'else') this.fail(this.lastKeyword, `unexpected {{${r}}}`);
    }
    return { main, defines: this.defines, unknownIdentifiers: this.unknown };
  }

  private parseDefine(): void {
    const nameTok = this.next();
    if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.unexpected(nameTok, 'define clause');
    const name = unquote(nameTok);
    this.expect('rightDelim', 'define clause');
    const saved = this.vars;
    this.vars = ['$'];
    const { list, stop } = this.itemList();
    if (stop !== 'end') this.fail(this.peek(), 'unexpected EOF');
    this.vars = saved;
    this.addDefine(name, list, nameTok.offset);
  }

  private addDefine(name: string, list: ListNode, offset: number): void {
    const prev = this.defines.get(name);
    if (prev && !isEmptyList(prev) && !isEmptyList(list)) this.fail(offset, `template: multiple definition of template ${JSON.stringify(name)}`);
    if (!prev || !isEmptyList(list)) this.defines.set(name, list);
  }

  /** Parses items until {{end}}, {{else}} or EOF. */
  private itemList(): { list: ListNode; stop: Stop } {
    const list: ListNode = { nodes: [] };
    for (;;) {
      if (this.peek().type === 'eof') return { list, stop: 'eof' };
      const r = this.item(list);
      if (r) return { list, stop: r };
    }
  }

  /** One text or action; appends to list. Returns 'end'/'else' when it met one. */
  private item(list: ListNode): Stop | null {
    const t = this.next();
    if (t.type === 'text') {
      list.nodes.push({ kind: 'text', offset: t.offset, text: t.value });
      return null;
    }
    if (t.type !== 'leftDelim') this.unexpected(t, 'input');
    const k = this.peek();
    if (k.type === 'keyword') {
      this.next();
      this.lastKeyword = k.offset;
      switch (k.value) {
        case 'end':
          this.expect('rightDelim', 'end');
          return 'end';
        case 'else': {
          const n = this.peek();
          if (n.type === 'keyword' && (n.value === 'if' || n.value === 'with')) return 'else';
          this.expect('rightDelim', 'else');
          return 'else';
        }
        case 'if': list.nodes.push(this.control('if', k.offset) as IfNode); return null;
        case 'with': list.nodes.push(this.control('with', k.offset) as WithNode); return null;
        case 'range': list.nodes.push(this.control('range', k.offset) as RangeNode); return null;
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) this.fail(k, `{{${k.value}}} outside {{range}}`);
          this.expect('rightDelim', k.value);
          list.nodes.push({ kind: k.value, offset: k.offset });
          return null;
        case 'template':
        case 'block': {
          const ctx = k.value === 'block' ? 'block clause' : 'template clause';
          const nameTok = this.next();
          if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.unexpected(nameTok, ctx);
          const name = unquote(nameTok);
          const pipe = this.peek().type === 'rightDelim' ? (this.next(), null) : this.pipeline(ctx, 'rightDelim');
          if (k.value === 'block') {
            const saved = this.vars;
            this.vars = ['$'];
            const { list: body, stop } = this.itemList();
            if (stop !== 'end') this.fail(this.peek(), 'unexpected EOF');
            this.vars = saved;
            this.addDefine(name, body, nameTok.offset);
          }
          list.nodes.push({ kind: 'template', offset: k.offset, name, pipe });
          return null;
        }
        default:
          this.unexpected(k, 'command');
      }
    }
    const pipe = this.pipeline('command', 'rightDelim');
    list.nodes.push({ kind: 'action', offset: t.offset + 2, pipe });
    return null;
  }

  private control(context: 'if' | 'with' | 'range', offset: number): IfNode | WithNode | RangeNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(context, 'rightDelim');
    if (context === 'range') this.rangeDepth++;
    const { list, stop } = this.itemList();
    if (context === 'range') this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (stop === 'eof') this.fail(this.peek(), 'unexpected EOF');
    if (stop === 'else') {
      const n = this.peek();
      if (n.type === 'keyword' && (n.value === 'if' || n.value === 'with')) {
        if (n.value !== context) this.unexpected(n, context === 'range' ? 'range' : 'else');
        this.next();
        elseList = { nodes: [this.control(context as 'if' | 'with', n.offset)] };
      } else {
        const r = this.itemList();
        if (r.stop !== 'end') this.fail(this.peek(), r.stop === 'eof' ? 'unexpected EOF' : 'expected end; found {{else}}');
        elseList = r.list;
      }
    }
    this.vars.length = mark;
    return { kind: context, offset, pipe, list, elseList };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const start = this.peek();
    const pipe: PipeNode = { kind: 'pipe', offset: start.offset, decl: [], isAssign: false, cmds: [] };
    // Declarations: "$x :=", "$x =", and in range "$i, $v :=".
    for (;;) {
      const v = this.peek();
      if (v.type !== 'variable') break;
      const n = this.peek(1);
      if (n.type === 'declare' || n.type === 'assign') {
        this.pos += 2;
        if (n.type === 'assign' && !this.vars.includes(v.value)) this.fail(v, `undefined variable ${JSON.stringify(v.value)}`);
        pipe.isAssign = n.type === 'assign';
        pipe.decl.push(v.value);
        this.vars.push(v.value);
        break;
      }
      if (n.type === 'comma') {
        this.pos += 2;
        pipe.decl.push(v.value);
        this.vars.push(v.value);
        if (context === 'range' && pipe.decl.length < 2) {
          const a = this.peek();
          if (a.type === 'variable' || a.type === 'rightDelim' || a.type === 'rightParen') continue;
          this.fail(a, 'range can only initialize variables');
        }
        this.fail(n, `too many declarations in ${context}`);
      }
      break;
    }
    for (;;) {
      const t = this.peek();
      if (t.type === end) {
        this.next();
        if (pipe.cmds.length === 0) this.fail(t, `missing value for ${context}`);
        for (let i = 1; i < pipe.cmds.length; i++) {
          const k = pipe.cmds[i]!.args[0]!.kind;
          if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
            this.fail(pipe.cmds[i]!.offset, `non executable command in pipeline stage ${i + 1}`);
          }
        }
        return pipe;
      }
      switch (t.type) {
        case 'bool': case 'char': case 'dot': case 'field': case 'identifier': case 'number': case 'nil':
        case 'rawString': case 'string': case 'variable': case 'leftParen': {
          const cmd = this.command();
          // A bare unknown name reads as a data key in a Katalog (`{{ name }}` ⇒ `.name`), but
          // a data key takes no arguments: given any (written, or piped in), it is a misspelt
          // function, and reporting it only at render time would let the Katalog load.
          const head = cmd.args[0];
          if (head?.kind === 'identifier' && !this.isFunction(head.name) && (cmd.args.length > 1 || pipe.cmds.length > 0)) {
            this.fail(head.offset, `function \`${head.name}\` not defined${this.suggest(head.name)}`);
          }
          pipe.cmds.push(cmd);
          break;
        }
        default:
          this.unexpected(t, context);
      }
    }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { offset: this.peek().offset, args: [] };
    for (;;) {
      const op = this.operand();
      if (op) cmd.args.push(op);
      const t = this.peek();
      if (t.type === 'rightDelim' || t.type === 'rightParen') break;
      if (t.type === 'pipe') {
        this.next();
        break;
      }
      if (op && t.spaceBefore) continue;
      this.unexpected(t, 'operand');
    }
    if (cmd.args.length === 0) this.fail(cmd.offset, 'empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node) return null;
    const f = this.peek();
    if (f.type !== 'field' || f.spaceBefore) return node;
    const fields: string[] = [];
    while (this.peek().type === 'field' && !this.peek().spaceBefore) fields.push(this.next().value.slice(1));
    switch (node.kind) {
      case 'field': return { kind: 'field', offset: node.offset, ident: [...node.ident, ...fields] };
      case 'variable': return { kind: 'variable', offset: node.offset, name: node.name, ident: [...node.ident, ...fields] };
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        this.fail(f, `unexpected . after term ${JSON.stringify(node.kind === 'string' ? node.text : node.kind === 'number' ? node.text : node.kind === 'dot' ? '.' : node.kind === 'nil' ? 'nil' : String(node.value))}`);
      // falls through (unreachable)
      default: return { kind: 'chain', offset: node.offset, node, fields };
    }
  }

  private term(): ArgNode | null {
    const t = this.peek();
    switch (t.type) {
      case 'identifier':
        this.next();
        if (!this.isFunction(t.value)) this.unknown.push({ name: t.value, offset: t.offset });
        return { kind: 'identifier', offset: t.offset, name: t.value };
      case 'dot': this.next(); return { kind: 'dot', offset: t.offset };
      case 'nil': this.next(); return { kind: 'nil', offset: t.offset };
      case 'variable': {
        this.next();
        if (!this.vars.includes(t.value)) this.fail(t, `undefined variable ${JSON.stringify(t.value)}`);
        return { kind: 'variable', offset: t.offset, name: t.value, ident: [] };
      }
      case 'field': this.next(); return { kind: 'field', offset: t.offset, ident: [t.value.slice(1)] };
      case 'bool': this.next(); return { kind: 'bool', offset: t.offset, value: t.value === 'true' };
      case 'number': case 'char': this.next(); return parseNumber(t);
      case 'leftParen': {
        this.next();
        return this.pipeline('parenthesized pipeline', 'rightParen');
      }
      case 'string': case 'rawString': {
        this.next();
        return { kind: 'string', offset: t.offset, text: t.value, value: unquote(t) };
      }
      default:
        return null;
    }
  }
}

function isEmptyList(l: ListNode): boolean {
  return l.nodes.every((n) => n.kind === 'text' && n.text.trim() === '');
}

// --- literals ---------------------------------------------------------------------------------

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'",
};

/** Decodes a Go interpreted string or char literal body (without quotes). */
function unescape(body: string, quote: string, t: Token): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new ParseError(t.offset, 'invalid syntax');
    if (e in SIMPLE_ESCAPES && (e !== "'" || quote === "'") && (e !== '"' || quote === '"')) {
      out += SIMPLE_ESCAPES[e];
      continue;
    }
    const hex = (n: number): number => {
      const h = body.slice(i + 1, i + 1 + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) throw new ParseError(t.offset, 'invalid syntax');
      i += n;
      return parseInt(h, 16);
    };
    if (e === 'x') out += String.fromCharCode(hex(2));
    else if (e === 'u') out += String.fromCodePoint(hex(4));
    else if (e === 'U') out += String.fromCodePoint(hex(8));
    else if (e >= '0' && e <= '7') {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) throw new ParseError(t.offset, 'invalid syntax');
      out += String.fromCharCode(parseInt(o, 8));
      i += 2;
    } else throw new ParseError(t.offset, 'invalid syntax');
  }
  return out;
}

function unquote(t: Token): string {
  const v = t.value;
  if (t.type === 'rawString') return v.slice(1, -1).replaceAll('\r', '');
  return unescape(v.slice(1, -1), '"', t);
}

function parseNumber(t: Token): NumberNode {
  const text = t.value;
  const node = (value: unknown): NumberNode => ({ kind: 'number', offset: t.offset, text, value });
  if (t.type === 'char') {
    const s = unescape(text.slice(1, -1), "'", t);
    const cp = s.codePointAt(0);
    if (cp === undefined || String.fromCodePoint(cp) !== s) throw new ParseError(t.offset, `malformed character constant: ${text}`);
    return node(cp);
  }
  const bad = (): never => {
    throw new ParseError(t.offset, `illegal number syntax: ${JSON.stringify(text)}`);
  };
  let s = text;
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s.includes('_')) {
    if (/(^_|_$|__|_\.|\._)/.test(s) || (!/^0[xXoObB]/.test(s) && /^0_/.test(s) === false && false)) bad();
    s = s.replaceAll('_', '');
  }
  let v: number;
  let isFloat = false;
  const m = /^0([xXoObB])(.*)$/.exec(s);
  if (m) {
    const base = { x: 16, o: 8, b: 2 }[m[1]!.toLowerCase() as 'x' | 'o' | 'b'];
    const body = m[2]!;
    if (base === 16 && /[pP]/.test(body)) {
      const hm = /^([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(body);
      if (!hm) bad();
      const mant = parseInt((hm![1] || '0') + (hm![2] ?? ''), 16) / 16 ** (hm![2]?.length ?? 0);
      v = mant * 2 ** Number(hm![3]);
      isFloat = true;
    } else {
      if (!body || !new RegExp(base === 16 ? '^[0-9a-fA-F]+$' : base === 8 ? '^[0-7]+$' : '^[01]+$').test(body)) bad();
      v = parseInt(body, base);
    }
  } else if (/[.eE]/.test(s)) {
    if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) bad();
    v = Number(s);
    isFloat = true;
  } else if (/^0\d+$/.test(s)) {
    if (!/^0[0-7]+$/.test(s)) bad();
    v = parseInt(s, 8);
  } else {
    if (!/^\d+$/.test(s)) bad();
    v = Number(s);
  }
  v *= sign;
  if (isFloat) return node(Number.isInteger(v) ? new GoFloat(v) : v);
  if (!Number.isSafeInteger(v) && Math.abs(v) >= 2 ** 63) throw new ParseError(t.offset, `${text} overflows int`);
  return node(v);
}
