// Label and field selectors as the API server reads them, parsed once into a predicate so a
// cached view can test every write cheaply. Syntax errors are 400 BadRequest answers, as a list
// or watch with a malformed selector gets from the server.
import { ApiError, type KubeObject } from '../../kube/index.ts';

export type Matcher = (obj: KubeObject) => boolean;

type Requirement = (labels: Record<string, string>) => boolean;

const everything: Matcher = () => true;

/**
 * `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, comma-separated (all must
 * hold). As on the server, `k!=v` and `k notin (…)` also match objects without the label.
 */
export function labelMatcher(selector: string | undefined): Matcher {
  const text = selector?.trim() ?? '';
  if (!text) return everything;
  const reqs = splitTopLevel(text).map((r) => requirement(r.trim(), text));
  return (obj) => {
    const labels = obj.metadata?.labels ?? {};
    for (const r of reqs) if (!r(labels)) return false;
    return true;
  };
}

/** Field selectors: `metadata.name` and `metadata.namespace` with `=`, `==`, `!=` (the ones every kind supports). */
export function fieldMatcher(selector: string | undefined): Matcher {
  const text = selector?.trim() ?? '';
  if (!text) return everything;
  const tests = text.split(',').map((part): Matcher => {
    const m = /^\s*([A-Za-z.]+)\s*(==|=|!=)\s*([^\s,]*)\s*$/.exec(part);
    if (!m) throw badSelector('field', text, `cannot parse "${part}"`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const read = FIELDS[field];
    if (!read) throw badSelector('field', text, `field label "${field}" is not supported (only ${Object.keys(FIELDS).join(', ')})`);
    return op === '!=' ? (o) => read(o) !== value : (o) => read(o) === value;
  });
  return (obj) => tests.every((t) => t(obj));
}

const FIELDS: Record<string, (o: KubeObject) => string> = {
  'metadata.name': (o) => o.metadata?.name ?? '',
  'metadata.namespace': (o) => o.metadata?.namespace ?? '',
};

/** Splits at commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function requirement(r: string, whole: string): Requirement {
  let m = /^(\S+?)\s*(==|=|!=)\s*(\S*)$/.exec(r);
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    checkKey(key, whole);
    if (!VALUE.test(value)) throw badSelector('label', whole, `invalid value "${value}"`);
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(r);
  if (m) {
    const [, key, op, list] = m as unknown as [string, string, string, string];
    checkKey(key, whole);
    const values = new Set(list.split(',').map((v) => v.trim()));
    for (const v of values) if (!VALUE.test(v)) throw badSelector('label', whole, `invalid value "${v}"`);
    return op === 'in' ? (l) => key in l && values.has(l[key]!) : (l) => !(key in l) || !values.has(l[key]!);
  }
  m = /^(!?)\s*(\S+)$/.exec(r);
  if (m) {
    const [, not, key] = m as unknown as [string, string, string];
    checkKey(key, whole);
    return not ? (l) => !(key in l) : (l) => key in l;
  }
  throw badSelector('label', whole, `cannot parse "${r}"`);
}

function checkKey(key: string, whole: string): void {
  if (!KEY.test(key)) throw badSelector('label', whole, `invalid label key "${key}"`);
}

function badSelector(kind: 'label' | 'field', selector: string, why: string): ApiError {
  return new ApiError({ statusCode: 400, reason: 'BadRequest', message: `unable to parse requirement: ${kind} selector "${selector}": ${why}`, verb: 'list', url: `?${kind}Selector=${selector}` });
}
