// Executor: walks the node tree against data (cf. Go's text/template/exec.go).
// Two flavours share this code: raw Go semantics (Template.execute) and Katalog semantics
// (Template.render: missing/nil chains are empty, bare unknown identifiers are root keys).
import { TemplateExecError, EvalError } from './errors.ts';
import { argString, type ArgNode, type ChainNode, type CommandNode, type FieldNode, type IdentifierNode, type ListNode, type Node, type PipeNode, type VariableNode } from './nodes.ts';
import { formatValue, goTypeName, isMap, isTrue, sortedKeys, kindOf, GoFloat } from './values.ts';
import type { FuncSpec, CallContext } from './functions/types.ts';
import type { RandomSource } from './random.ts';

export type MissingKey = 'default' | 'zero' | 'error';

export interface ExecEnv {
  missingKey: MissingKey;
  katalog: boolean;
  random: RandomSource;
  context: string | undefined;
  now: () => Date;
}

export interface Program {
  name: string;
  source: string;
  main: ListNode;
  defines: Map<string, ListNode>;
  /** Short stable id of the source, used for call sites of random functions. */
  sourceId: string;
}

/** Marks "no final value" in a pipeline (distinct from undefined, Go's invalid value). */
const MISSING: unique symbol = Symbol('missing');
type Final = unknown;

const MAX_DEPTH = 1000;
const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
type Flow = 0 | 1 | 2;

let functions: ReadonlyMap<string, FuncSpec> = new Map();
export function setFunctionTable(table: ReadonlyMap<string, FuncSpec>): void {
  functions = table;
}

export function execute(prog: Program, data: unknown, env: ExecEnv): string {
  const st = new State(prog, env, data);
  st.walkList(data, prog.main);
  return st.out;
}

class State implements CallContext {
  out = '';
  private readonly names: string[] = ['$'];
  private readonly values: unknown[] = [];
  private depth = 0;
  private readonly prog: Program;
  private readonly env: ExecEnv;
  private readonly root: unknown;
  private calls: Map<number, number> | null = null;
  callSite = '';

  constructor(prog: Program, env: ExecEnv, data: unknown) {
    this.prog = prog;
    this.env = env;
    this.root = data;
    this.values.push(data);
  }

  get random(): RandomSource {
    return this.env.random;
  }
  now(): Date {
    return this.env.now();
  }

  private fail(offset: number, target: string, detail: string): never {
    throw new TemplateExecError({ templateName: this.prog.name, source: this.prog.source, offset, target, detail, context: this.env.context });
  }

  walkList(dot: unknown, list: ListNode): Flow {
    const nodes = list.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const f = this.walk(dot, nodes[i]!);
      if (f !== NORMAL) return f;
    }
    return NORMAL;
  }

  private walk(dot: unknown, node: Node): Flow {
    switch (node.kind) {
      case 'text':
        this.out += node.text;
        return NORMAL;
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.print(v, node.offset, node.pipe);
        return NORMAL;
      }
      case 'if':
      case 'with': {
        const mark = this.names.length;
        const v = this.evalPipeline(dot, node.pipe);
        let f: Flow = NORMAL;
        if (isTrue(v)) f = this.walkList(node.kind === 'with' ? v : dot, node.list);
        else if (node.elseList) f = this.walkList(dot, node.elseList);
        this.pop(mark);
        return f;
      }
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node.name, node.pipe, node.offset);
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
    }
  }

  private print(v: unknown, offset: number, pipe: PipeNode): void {
    if (typeof v === 'string') this.out += v;
    else if (typeof v === 'function') this.fail(offset, pipeString1(pipe), `can't print ${pipeString1(pipe)} of type func`);
    else this.out += formatValue(v);
  }

  private pop(mark: number): void {
    this.names.length = mark;
    this.values.length = mark;
  }

  private walkRange(dot: unknown, node: Extract<Node, { kind: 'range' }>): Flow {
    const mark = this.names.length;
    const pipe = node.pipe;
    const v = this.evalPipelineNoDecl(dot, pipe);
    const decl = pipe.decl;
    // Range variables get fresh slots for each iteration.
    const body = (key: unknown, elem: unknown): Flow => {
      if (decl.length === 1) this.declareVar(decl[0]!, elem, pipe.isAssign);
      else if (decl.length === 2) {
        this.declareVar(decl[0]!, key, pipe.isAssign);
        this.declareVar(decl[1]!, elem, pipe.isAssign);
      }
      const f = this.walkList(elem, node.list);
      this.pop(mark);
      return f;
    };
    let ran = false;
    const k = kindOf(v);
    if (k === 'slice') {
      const a = v as unknown[];
      for (let i = 0; i < a.length; i++) {
        ran = true;
        if (body(i, a[i]) === BREAK) break;
      }
    } else if (k === 'map') {
      const m = v as Record<string, unknown>;
      for (const key of sortedKeys(m)) {
        ran = true;
        if (body(key, m[key]) === BREAK) break;
      }
    } else if (k === 'int') {
      if (decl.length > 1) this.fail(node.offset, 'range', `can't use ${formatValue(v)} to iterate over more than one variable`);
      const n = v as number;
      for (let i = 0; i < n; i++) {
        ran = true;
        if (body(i, i) === BREAK) break;
      }
    } else if (k !== 'invalid' && k !== 'nil') {
      this.fail(node.offset, 'range', `range can't iterate over ${formatValue(v)}`);
    }
    if (!ran && node.elseList) {
      const f = this.walkList(dot, node.elseList);
      this.pop(mark);
      return f;
    }
    this.pop(mark);
    return NORMAL;
  }

  private walkTemplate(dot: unknown, name: string, pipe: PipeNode | null, offset: number): Flow {
    const list = this.prog.defines.get(name);
    if (!list) this.fail(offset, `template ${JSON.stringify(name)}`, `no such template ${JSON.stringify(name)}`);
    if (++this.depth > MAX_DEPTH) this.fail(offset, `template ${JSON.stringify(name)}`, `exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = pipe ? this.evalPipeline(dot, pipe) : undefined;
    const savedNames = this.names.splice(0);
    const savedValues = this.values.splice(0);
    this.names.push('$');
    this.values.push(newDot);
    try {
      this.walkList(newDot, list);
    } finally {
      this.names.splice(0, this.names.length, ...savedNames);
      this.values.splice(0, this.values.length, ...savedValues);
      this.depth--;
    }
    return NORMAL;
  }

  private declareVar(name: string, value: unknown, assign: boolean): void {
    if (assign) this.setVar(name, value);
    else {
      this.names.push(name);
      this.values.push(value);
    }
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.names.length - 1; i >= 0; i--) {
      if (this.names[i] === name) {
        this.values[i] = value;
        return;
      }
    }
    throw new EvalError(`undefined variable: ${name}`);
  }

  private varValue(node: VariableNode): unknown {
    for (let i = this.names.length - 1; i >= 0; i--) {
      if (this.names[i] === node.name) return this.values[i];
    }
    this.fail(node.offset, node.name, `undefined variable: ${node.name}`);
  }

  // --- pipelines and commands ------------------------------------------------------------------

  private evalPipelineNoDecl(dot: unknown, pipe: PipeNode): unknown {
    let v: Final = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) v = this.evalCommand(dot, cmds[i]!, v);
    // Like Go: a nil interface result becomes "no value".
    return v === null ? undefined : v;
  }

  evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    const v = this.evalPipelineNoDecl(dot, pipe);
    const decl = pipe.decl;
    for (let i = 0; i < decl.length; i++) this.declareVar(decl[i]!, v, pipe.isAssign);
    return v;
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.kind) {
      case 'field': return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case 'chain': return this.evalChain(dot, first, cmd.args, final);
      case 'identifier': return this.evalFunction(dot, first, cmd.args, final);
      case 'variable': return this.evalVariable(dot, first, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      default:
        break;
    }
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': this.fail(first.offset, 'nil', 'nil is not a command');
      // falls through (unreachable)
      case 'number': return first.value;
      case 'string': return first.value;
    }
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) {
      this.fail(args[0]!.offset, argString(args[0]!), `can't give argument to non-function ${argString(args[0]!)}`);
    }
  }

  private evalVariable(dot: unknown, node: VariableNode, args: ArgNode[] | null, final: Final): unknown {
    const v = this.varValue(node);
    if (node.ident.length === 0) {
      if (args) this.notAFunction(args, final);
      return v;
    }
    return this.evalFieldChain(dot, v, node, node.ident, args, final);
  }

  private evalChain(dot: unknown, node: ChainNode, args: ArgNode[] | null, final: Final): unknown {
    if (node.node.kind === 'nil') this.fail(node.offset, argString(node), `indirection through explicit nil in ${argString(node)}`);
    const v = this.evalArg(dot, node.node);
    return this.evalFieldChain(dot, v, node, node.fields, args, final);
  }

  private evalFieldChain(_dot: unknown, receiver: unknown, node: FieldNode | VariableNode | ChainNode, ident: string[], args: ArgNode[] | null, final: Final): unknown {
    const n = ident.length;
    let r = receiver;
    for (let i = 0; i < n - 1; i++) r = this.evalField(r, ident[i]!, node, false);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    return this.evalField(r, ident[n - 1]!, node, hasArgs);
  }

  private evalField(receiver: unknown, name: string, node: ArgNode, hasArgs: boolean): unknown {
    if (receiver === undefined) {
      if (this.env.missingKey === 'error' && !this.env.katalog) this.fail(node.offset, argString(node), `nil data; no entry for key ${JSON.stringify(name)}`);
      return undefined;
    }
    if (receiver === null) {
      if (this.env.katalog) return undefined;
      this.fail(node.offset, argString(node), `nil pointer evaluating interface {}.${name}`);
    }
    if (isMap(receiver)) {
      if (hasArgs) this.fail(node.offset, argString(node), `${name} is not a method but has arguments`);
      if (Object.hasOwn(receiver, name)) {
        const v = receiver[name];
        return v === undefined ? null : v;
      }
      if (this.env.katalog) return undefined;
      switch (this.env.missingKey) {
        case 'default': return undefined;
        case 'zero': return null;
        case 'error': this.fail(node.offset, argString(node), `map has no entry for key ${JSON.stringify(name)}`);
      }
    }
    this.fail(node.offset, argString(node), `can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }

  /** Evaluates an argument of a function call. */
  private evalArg(dot: unknown, n: ArgNode): unknown {
    switch (n.kind) {
      case 'dot': return dot;
      case 'nil': return null;
      case 'field': return this.evalFieldChain(dot, dot, n, n.ident, null, MISSING);
      case 'variable': return this.evalVariable(dot, n, null, MISSING);
      case 'pipe': return this.evalPipeline(dot, n);
      case 'identifier': return this.evalFunction(dot, n, null, MISSING);
      case 'chain': return this.evalChain(dot, n, null, MISSING);
      case 'bool': return n.value;
      case 'number': return n.value;
      case 'string': return n.value;
    }
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmdArgs: ArgNode[] | null, final: Final): unknown {
    const name = node.name;
    const spec = functions.get(name);
    const argNodes = cmdArgs ? cmdArgs : [node];
    const nArgs = argNodes.length - 1 + (final !== MISSING ? 1 : 0);
    if (!spec) {
      // Katalog: a bare identifier that names no function is a root key (`name children.job`).
      if (this.env.katalog && nArgs === 0) return this.evalField(this.root, name, node, false);
      this.fail(node.offset, name, `function ${JSON.stringify(name)} not defined`);
    }
    if (nArgs < spec.min || nArgs > spec.max) {
      const want = spec.max === Infinity ? `at least ${spec.min}` : spec.min === spec.max ? String(spec.min) : `${spec.min} to ${spec.max}`;
      this.fail(node.offset, name, `wrong number of args for ${name}: want ${want} got ${nArgs}`);
    }
    if (name === 'and' || name === 'or') {
      const isOr = name === 'or';
      let v: unknown = undefined;
      for (let i = 1; i < argNodes.length; i++) {
        v = this.evalArg(dot, argNodes[i]!);
        if (isTrue(v) === isOr) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: unknown[] = new Array<unknown>(nArgs);
    for (let i = 1; i < argNodes.length; i++) argv[i - 1] = this.evalArg(dot, argNodes[i]!);
    if (final !== MISSING) argv[nArgs - 1] = final;
    if (!spec.raw) {
      for (let i = 0; i < nArgs; i++) {
        const a = argv[i];
        if (a === undefined) argv[i] = null;
        else if (a instanceof GoFloat) argv[i] = a.value;
      }
    }
    try {
      if (spec.ctx) {
        this.callSite = `${this.prog.sourceId}:${node.offset}:${this.nextCall(node.offset)}`;
        return spec.fn.call(this, ...argv);
      }
      return spec.fn.call(this, ...argv);
    } catch (e) {
      if (e instanceof TemplateExecError) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      this.fail(node.offset, name, `error calling ${name}: ${msg}`);
    }
  }

  private nextCall(offset: number): number {
    this.calls ??= new Map();
    const n = (this.calls.get(offset) ?? 0) + 1;
    this.calls.set(offset, n);
    return n;
  }
}

function pipeString1(p: PipeNode): string {
  return p.cmds.map((c) => c.args.map(argString).join(' ')).join(' | ');
}
