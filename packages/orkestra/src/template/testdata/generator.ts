// Seeded random template generator for differential tests against Go. Bounded depth and count;
// only constructs whose semantics both engines share.
import type { Case, Mode } from '../oracle.test-helper.ts';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DATA = {
  name: 'svc', n: 3, zero: 0, neg: -12, f: 2.75, big: 1234567.5, tiny: 0.000042, t: true, no: false, s: 'héllo <&> "q"', es: '',
  list: ['b', 'a', 'c'], nums: [5, 1, 4], empty: [], m: { x: 1, y: 'two', z: [1, 2] }, em: {}, nil: null,
  nest: { a: { b: { c: 'deep' } } }, items: [{ k: 'one', v: 1 }, { k: 'two', v: 2.5 }],
};
const FIELDS = ['.name', '.n', '.zero', '.neg', '.f', '.big', '.tiny', '.t', '.no', '.s', '.es', '.list', '.nums', '.empty', '.m', '.em', '.nil', '.nest.a.b.c', '.nest.a', '.missing', '.m.y', '.m.z', '.items'];
const LITS = ['1', '0', '-3', '2.5', '1e6', '"str"', '""', 'true', 'false', '0x10', "'a'", '`raw`', '1.0'];
const SCALARS = ['.name', '.n', '.zero', '.neg', '.f', '.s', '.es', '.t', '.no', '1', '-3', '"str"', '2.5'];
// Integer-vs-float bad-verb output, %T and hex floats are documented differences: float verbs only
// get float operands, and %T/%x/%X are not generated for arbitrary operands.
const VERBS = ['%v', '%d', '%s', '%q', '%5v', '%-4v|', '%t', '%05d', '%+d', '%c'];
const FLOAT_VERBS = ['%.2f', '%e', '%g', '%8.3f', '%v', '%G', '%10.4e'];
const FLOATS = ['.f', '.big', '.tiny', '2.5', '-0.125', '1e6', '1e-7', '123456.75'];

export function generateCases(seed: number, count: number): Case[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const operand = (d: number): string => {
    const x = r();
    if (x < 0.45 || d > 2) return pick(FIELDS);
    if (x < 0.7) return pick(LITS);
    return `(${cmd(d + 1)})`;
  };
  const cmd = (d: number): string => {
    switch (Math.floor(r() * 12)) {
      case 0: return `len ${pick(['.list', '.name', '.m', '.empty', '.s', '.nums'])}`;
      case 1: return `index ${pick(['.list', '.nums'])} ${Math.floor(r() * 3)}`;
      case 2: return `index .m ${pick(['"x"', '"y"', '"q"'])}`;
      case 3: return r() < 0.3 ? `printf "${pick(FLOAT_VERBS)}" ${pick(FLOATS)}` : `printf "${pick(VERBS)}" ${operand(d)}`;
      case 4: return `print ${operand(d)} ${operand(d)}`;
      case 5: return `${pick(['eq', 'ne'])} ${pick(SCALARS)} ${pick(SCALARS)}`;
      case 6: return `${pick(['lt', 'le', 'gt', 'ge'])} ${pick(['.n', '.zero', '.neg', '1', '-3', '.f', '2.5'])} ${pick(['.n', '.zero', '.neg', '1', '-3', '.f', '2.5'])}`;
      case 7: return `${pick(['and', 'or'])} ${operand(d)} ${operand(d)}`;
      case 8: return `not ${operand(d)}`;
      case 9: return `slice ${pick(['.list', '.name', '.nums'])} ${Math.floor(r() * 2)} ${1 + Math.floor(r() * 2)}`;
      case 10: return `${pick(['html', 'js', 'urlquery'])} ${operand(d)}`;
      default: return operand(d);
    }
  };
  const pipeline = (d: number): string => {
    let p = cmd(d);
    if (r() < 0.25) p += ` | printf "${pick(VERBS)}"`;
    else if (r() < 0.1 && !p.startsWith('printf')) p += ' | len';
    return p;
  };
  const node = (d: number): string => {
    const x = r();
    if (d > 2 || x < 0.4) return `{{ ${pipeline(d)} }}`;
    if (x < 0.5) return pick(['text', ' ', '-', '\n', '[', ']']);
    if (x < 0.65) return `{{ if ${pipeline(d)} }}${body(d + 1)}{{ else }}${body(d + 1)}{{ end }}`;
    if (x < 0.75) return `{{ with ${pick(FIELDS)} }}${body(d + 1)}{{ else }}none{{ end }}`;
    if (x < 0.9) {
      const v = pick(['', '$v := ', '$i, $v := ']);
      const inner = v ? pick(['{{ $v }}', '{{ $i }}'.replace('$i', v.includes('$i') ? '$i' : '$v')]) : '{{ . }}';
      return `{{ range ${v}${pick(['.list', '.nums', '.m', '.empty', '.items', '3', '.missing'])} }}${inner}${body(d + 1)}{{ else }}E{{ end }}`;
    }
    return `{{- ${pipeline(d)} -}}`;
  };
  const body = (d: number): string => Array.from({ length: 1 + Math.floor(r() * 3) }, () => node(d)).join('');
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const template = body(0);
    const mode: Mode = pick(['katalog', 'default', 'katalog', 'zero']);
    cases.push({ id: `gen:${seed}:${i}`, template, data: DATA, mode });
  }
  return cases;
}
