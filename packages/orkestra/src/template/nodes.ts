// The node tree produced by the parser and walked by the executor (cf. Go's parse/node.go).
// Every node keeps its source offset so errors can name line and column.

export type Node =
  | TextNode | ActionNode | IfNode | WithNode | RangeNode | TemplateNode | BreakNode | ContinueNode;

export type ArgNode =
  | FieldNode | VariableNode | IdentifierNode | DotNode | NilNode | BoolNode | NumberNode
  | StringNode | ChainNode | PipeNode;

export interface ListNode { nodes: Node[] }

export interface TextNode { kind: 'text'; offset: number; text: string }
export interface ActionNode { kind: 'action'; offset: number; pipe: PipeNode }
export interface BranchNode { offset: number; pipe: PipeNode; list: ListNode; elseList: ListNode | null }
export interface IfNode extends BranchNode { kind: 'if' }
export interface WithNode extends BranchNode { kind: 'with' }
export interface RangeNode extends BranchNode { kind: 'range' }
export interface TemplateNode { kind: 'template'; offset: number; name: string; pipe: PipeNode | null }
export interface BreakNode { kind: 'break'; offset: number }
export interface ContinueNode { kind: 'continue'; offset: number }

export interface PipeNode {
  kind: 'pipe';
  offset: number;
  /** Declared or assigned variable names ("$x"). */
  decl: string[];
  isAssign: boolean;
  cmds: CommandNode[];
}
export interface CommandNode { offset: number; args: ArgNode[] }
/** `.a.b` — ident is ["a","b"]. */
export interface FieldNode { kind: 'field'; offset: number; ident: string[] }
/** `$x.a` — name "$x", ident ["a"]. */
export interface VariableNode { kind: 'variable'; offset: number; name: string; ident: string[] }
export interface IdentifierNode { kind: 'identifier'; offset: number; name: string }
export interface DotNode { kind: 'dot'; offset: number }
export interface NilNode { kind: 'nil'; offset: number }
export interface BoolNode { kind: 'bool'; offset: number; value: boolean }
/** value is a number (int or float) or a GoFloat (an integral-valued float literal). */
export interface NumberNode { kind: 'number'; offset: number; text: string; value: unknown }
export interface StringNode { kind: 'string'; offset: number; text: string; value: string }
/** `(pipe).a.b` or `ident.a.b`. */
export interface ChainNode { kind: 'chain'; offset: number; node: ArgNode; fields: string[] }

/** The source text of an argument node, used in error messages (`at <.spec.x>`). */
export function argString(n: ArgNode): string {
  switch (n.kind) {
    case 'field': return '.' + n.ident.join('.');
    case 'variable': return [n.name, ...n.ident].join('.');
    case 'identifier': return n.name;
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return String(n.value);
    case 'number': return n.text;
    case 'string': return n.text;
    case 'chain': return (n.node.kind === 'pipe' ? `(${pipeString(n.node)})` : argString(n.node)) + '.' + n.fields.join('.');
    case 'pipe': return `(${pipeString(n)})`;
  }
}

export function pipeString(p: PipeNode): string {
  const decl = p.decl.length ? `${p.decl.join(', ')} ${p.isAssign ? '=' : ':='} ` : '';
  return decl + p.cmds.map((c) => c.args.map(argString).join(' ')).join(' | ');
}
