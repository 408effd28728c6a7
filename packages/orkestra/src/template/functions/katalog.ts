// The Katalog's function library ("notes", reference §15.4). These win over sprig names.
import { createHash } from 'node:crypto';
import { EvalError } from '../errors.ts';
import { formatValue, isMap, isTrue, kindOf, makeFloat, numberOf, sortedKeys } from '../values.ts';
import { float, int64, isEmpty, list, map, newMap, num, orNil, path, str } from './coerce.ts';
import { cronDescribe, cronExpr, cronField, cronFromAny, cronFromMap, cronNormalize, cronToMap, cronValid, nextCronTime } from './cron.ts';
import { goJSON } from './json.ts';
import { trimCutset } from './sprig.ts';
import { durationString, goFormat, parseDuration, parseTime } from './time.ts';
import { fn, type CallContext, type FuncTable } from './types.ts';

const V = Infinity;

/** int64 when the result is whole, else float64 (the Katalog's math notes). */
function numResult(n: number): number {
  return n;
}

function semverParse(v: unknown): [number, number, number, string] | null {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(str(v).trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0), m[4] ?? ''];
}

function semverCmp(a: [number, number, number, string], b: [number, number, number, string]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? -1 : 1;
  if (a[3] === b[3]) return 0;
  if (!a[3]) return 1;
  if (!b[3]) return -1;
  const pa = a[3].split('.');
  const pb = b[3].split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Masterminds-style constraints: "^1.2", "~1.2.3", ">= 1.2, < 2", "1.2.x", "a || b". */
function semverSatisfies(v: unknown, c: unknown): boolean {
  const ver = semverParse(v);
  if (!ver) return false;
  return str(c).split('||').some((group) =>
    group.trim().split(/\s*,\s*|\s+(?=[<>=!~^])/).filter(Boolean).every((term) => {
      const m = /^(\^|~|>=|<=|>|<|!=|=)?\s*v?([\dxX*]+(?:\.[\dxX*]+)?(?:\.[\dxX*]+)?(?:-[0-9A-Za-z.-]+)?)$/.exec(term.trim());
      if (!m) return false;
      const op = m[1] ?? '=';
      const parts = m[2]!.split('-')[0]!.split('.');
      const wild = parts.findIndex((p) => /^[xX*]$/.test(p));
      const nums = parts.map((p) => (/^[xX*]$/.test(p) ? 0 : Number(p)));
      const given = wild >= 0 ? wild : parts.length;
      const base: [number, number, number, string] = [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0, m[2]!.includes('-') ? m[2]!.split('-').slice(1).join('-') : ''];
      const cmp = semverCmp(ver, base);
      const upper = (level: number): [number, number, number, string] =>
        level <= 0 ? [base[0] + 1, 0, 0, ''] : level === 1 ? [base[0], base[1] + 1, 0, ''] : [base[0], base[1], base[2] + 1, ''];
      if (ver[3] && !base[3]) return false; // prereleases only match prerelease constraints
      switch (op) {
        case '^': {
          const level = base[0] > 0 || given === 1 ? 0 : base[1] > 0 || given === 2 ? 1 : 2;
          return cmp >= 0 && semverCmp(ver, upper(level)) < 0;
        }
        case '~': return cmp >= 0 && semverCmp(ver, upper(given === 1 ? 0 : 1)) < 0;
        case '>=': return cmp >= 0;
        case '<=': return given < 3 ? semverCmp(ver, upper(given - 1)) < 0 : cmp <= 0;
        case '>': return given < 3 ? semverCmp(ver, upper(given - 1)) >= 0 : cmp > 0;
        case '<': return cmp < 0;
        case '!=': return cmp !== 0;
        default: return given < 3 ? cmp >= 0 && semverCmp(ver, upper(given - 1)) < 0 : cmp === 0;
      }
    }),
  );
}

const QUANTITY_SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
function parseQuantity(v: unknown): number {
  if (typeof v === 'number') return v;
  const m = /^([+-]?\d*\.?\d+(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?)$/.exec(str(v).trim());
  if (!m) throw new EvalError(`invalid quantity ${JSON.stringify(str(v))}`);
  return Number(m[1]) * QUANTITY_SUFFIX[m[2]!]!;
}
function formatQuantity(v: unknown): string {
  const f = float(v);
  if (f === 0) return '0';
  for (const s of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const d = QUANTITY_SUFFIX[s]!;
    if (Math.abs(f) >= d && Number.isInteger(f / d)) return `${f / d}${s}`;
  }
  if (Number.isInteger(f)) return String(f);
  const milli = Math.round(f * 1000 * 1e6) / 1e6;
  if (Number.isInteger(milli)) return `${milli}m`;
  return String(f);
}

/** A Kubernetes object map (`.children.deployment`, `.`): lookups are nil-safe. */
const obj = (o: unknown): unknown => o;
const meta = (o: unknown): unknown => path(o, 'metadata');
const metaStr = (o: unknown, k: string): string => str(path(o, 'metadata', k));
const statusNum = (o: unknown, k: string): number => int64(path(o, 'status', k));
const conditions = (o: unknown): Record<string, unknown>[] => {
  const c = path(o, 'status', 'conditions');
  return Array.isArray(c) ? c.filter(isMap) : [];
};
const condition = (o: unknown, type: unknown): Record<string, unknown> | undefined => conditions(o).find((c) => c['type'] === str(type));

function truthyString(v: unknown): boolean {
  const s = str(v).trim().toLowerCase();
  if (['true', 't', '1', 'yes', 'y', 'on'].includes(s)) return true;
  if (['false', 'f', '0', 'no', 'n', 'off', ''].includes(s)) return false;
  throw new EvalError(`cannot convert ${JSON.stringify(str(v))} to bool`);
}

export function registerKatalog(t: FuncTable): void {
  // conditional
  t.set('ternary', fn((c: unknown, a: unknown, b: unknown) => (isTrue(c) ? a : b), { doc: 'ternary COND TRUE FALSE (condition first)' }));
  t.set('boolTernary', fn((c: unknown, a: unknown, b: unknown) => {
    if (typeof c !== 'boolean') throw new EvalError(`boolTernary: condition must be a bool, got ${kindOf(c)}`);
    return c ? a : b;
  }));
  t.set('eqTernary', fn((v: unknown, target: unknown, a: unknown, b: unknown) => (str(v) === str(target) ? a : b)));
  t.set('boolDefault', fn((v: unknown, d: unknown) => (typeof v === 'boolean' ? v : d)));
  t.set('default', fn((fallback: unknown, v?: unknown) => (v === undefined || isEmpty(v) ? fallback : v), { min: 1, max: 2, doc: 'default FALLBACK VALUE' }));
  t.set('coalesce', fn((...a: unknown[]) => a.find((x) => !isEmpty(x)) ?? null, { min: 0, max: V }));
  t.set('empty', fn((v: unknown) => isEmpty(v)));
  t.set('notEmpty', fn((v: unknown) => !isEmpty(v)));
  // collections
  t.set('asList', fn((v: unknown) => {
    if (Array.isArray(v)) return v;
    if (typeof v === 'string' && v.trim()) {
      try {
        const p = JSON.parse(v) as unknown;
        if (Array.isArray(p)) return p;
      } catch { /* not JSON */ }
    }
    return [];
  }));
  t.set('asMap', fn((v: unknown) => {
    if (isMap(v)) return v;
    if (typeof v === 'string' && v.trim()) {
      try {
        const p = JSON.parse(v) as unknown;
        if (isMap(p)) return p;
      } catch { /* not JSON */ }
    }
    return newMap();
  }));
  t.set('asString', fn((v: unknown) => (isMap(v) || Array.isArray(v) ? goJSON(v, false) : str(v))));
  t.set('listGet', fn((l: unknown, i: unknown) => (Array.isArray(l) ? orNil(l[int64(i)]) : null)));
  t.set('listHas', fn((l: unknown, v: unknown) => (Array.isArray(l) ? l.some((x) => str(x) === str(v)) : false)));
  t.set('listLen', fn((l: unknown) => (Array.isArray(l) ? l.length : 0)));
  t.set('mapGet', fn((m: unknown, k: unknown) => (isMap(m) ? orNil(m[str(k)]) : null)));
  t.set('mapKeys', fn((m: unknown) => (isMap(m) ? sortedKeys(m) : [])));
  t.set('mapValues', fn((m: unknown) => (isMap(m) ? sortedKeys(m).map((k) => m[k]) : [])));
  t.set('get', fn((o: unknown, ...segs: unknown[]) => orNil(path(o, ...segs)), { min: 1, max: V, doc: 'get OBJ KEY... (nil-safe path)' }));
  // cron
  t.set('cronNormalize', fn(cronNormalize));
  t.set('cronFromMap', fn(cronFromMap));
  t.set('cronFromAny', fn(cronFromAny));
  t.set('cronToMap', fn(cronToMap));
  t.set('cronExpr', fn(cronExpr, { min: 5, max: 5 }));
  t.set('cronField', fn(cronField));
  ['cronMinute', 'cronHour', 'cronDom', 'cronMonth', 'cronDow'].forEach((name, i) => t.set(name, fn((s: unknown) => cronField(s, i))));
  t.set('cronDescribe', fn(cronDescribe));
  t.set('cronValid', fn(cronValid));
  t.set('nextCron', fn(function (this: CallContext, e: unknown) {
    const d = cronValid(e) ? nextCronTime(e, this.now()) : null;
    return d ? goFormat(d, '2006-01-02T15:04:05Z07:00') : '';
  }, { ctx: true }));
  // data
  t.set('toBase64', fn((s: unknown) => Buffer.from(str(s), 'utf8').toString('base64')));
  t.set('fromBase64', fn((s: unknown) => Buffer.from(str(s), 'base64').toString('utf8')));
  t.set('toJSON', fn((v: unknown) => goJSON(v, false)));
  t.set('sha256sum', fn((s: unknown) => createHash('sha256').update(str(s)).digest('hex').slice(0, 8), { doc: 'first 8 hex chars of SHA-256 (sprig: use sha256sumFull)' }));
  const slugify = (s: unknown): string => str(s).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  t.set('slugify', fn(slugify));
  t.set('truncateName', fn((s: unknown, n: unknown) => str(s).slice(0, Math.max(0, int64(n)))));
  t.set('repoSlug', fn((s: unknown) => slugify(str(s).replace(/\/+$/, '').split('/').pop()!.replace(/\.git$/, ''))));
  t.set('lookup', fn((key: unknown, ...kv: unknown[]) => {
    for (let i = 0; i + 1 < kv.length; i += 2) if (str(kv[i]) === str(key)) return kv[i + 1];
    return '';
  }, { min: 1, max: V }));
  // domain
  const host = (s: unknown): string => str(s).replace(/\s+/g, '').replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  t.set('domainHost', fn(host));
  t.set('domainBare', fn((s: unknown) => host(s).replace(/^www\./i, '')));
  // fields and kubernetes objects
  t.set('resourceName', fn((o: unknown) => metaStr(o, 'name')));
  t.set('name', fn((o: unknown) => metaStr(o, 'name'), { doc: 'alias of resourceName (used by seed Katalogs)' }));
  t.set('resourceNamespace', fn((o: unknown) => metaStr(o, 'namespace')));
  t.set('namespace', fn((o: unknown) => metaStr(o, 'namespace')));
  t.set('resourceUID', fn((o: unknown) => metaStr(o, 'uid')));
  t.set('resourceVersion', fn((o: unknown) => metaStr(o, 'resourceVersion')));
  t.set('creationTimestamp', fn((o: unknown) => metaStr(o, 'creationTimestamp')));
  t.set('meta', fn((o: unknown) => (isMap(meta(o)) ? meta(o) : newMap())));
  t.set('spec', fn((o: unknown) => (isMap(path(o, 'spec')) ? path(o, 'spec') : newMap())));
  t.set('status', fn((o: unknown) => (isMap(path(o, 'status')) ? path(o, 'status') : newMap())));
  t.set('labels', fn((o: unknown) => (isMap(path(o, 'metadata', 'labels')) ? path(o, 'metadata', 'labels') : newMap())));
  t.set('annotations', fn((o: unknown) => (isMap(path(o, 'metadata', 'annotations')) ? path(o, 'metadata', 'annotations') : newMap())));
  t.set('getLabel', fn((o: unknown, k: unknown) => str(path(o, 'metadata', 'labels', str(k)))));
  t.set('getAnnotation', fn((o: unknown, k: unknown) => str(path(o, 'metadata', 'annotations', str(k)))));
  t.set('getLabelInt', fn((o: unknown, k: unknown) => int64(path(o, 'metadata', 'labels', str(k)))));
  t.set('getAnnotationInt', fn((o: unknown, k: unknown) => int64(path(o, 'metadata', 'annotations', str(k)))));
  t.set('hasLabel', fn((o: unknown, k: unknown) => str(path(o, 'metadata', 'labels', str(k))) !== ''));
  t.set('hasAnnotation', fn((o: unknown, k: unknown) => str(path(o, 'metadata', 'annotations', str(k))) !== ''));
  t.set('labelMatches', fn((o: unknown, ...kv: unknown[]) => {
    for (let i = 0; i + 1 < kv.length; i += 2) if (str(path(o, 'metadata', 'labels', str(kv[i]))) !== str(kv[i + 1])) return false;
    return true;
  }, { min: 1, max: V }));
  t.set('getStatus', fn((o: unknown, k: unknown) => {
    const v = path(o, 'status', str(k));
    return isMap(v) || Array.isArray(v) ? '' : str(v);
  }));
  t.set('hasStatus', fn((o: unknown, k: unknown) => path(o, 'status', str(k)) !== undefined && path(o, 'status', str(k)) !== null));
  t.set('hasCondition', fn((o: unknown, type: unknown) => condition(o, type)?.['status'] === 'True'));
  t.set('conditionReason', fn((o: unknown, type: unknown) => str(condition(o, type)?.['reason'])));
  t.set('conditionMessage', fn((o: unknown, type: unknown) => str(condition(o, type)?.['message'])));
  t.set('phase', fn((o: unknown) => str(path(o, 'status', 'phase')), { doc: 'status.phase of OBJ ("" if absent)' }));
  t.set('generation', fn((o: unknown) => int64(path(o, 'metadata', 'generation'))));
  t.set('observedGeneration', fn((o: unknown) => int64(path(o, 'status', 'observedGeneration'))));
  t.set('isSynced', fn((o: unknown) => int64(path(o, 'metadata', 'generation')) === int64(path(o, 'status', 'observedGeneration'))));
  t.set('isTerminating', fn((o: unknown) => str(path(o, 'metadata', 'deletionTimestamp')) !== ''));
  t.set('ownerKind', fn((o: unknown) => str(path(o, 'metadata', 'ownerReferences', 0, 'kind'))));
  t.set('ownerName', fn((o: unknown) => str(path(o, 'metadata', 'ownerReferences', 0, 'name'))));
  t.set('resourceExists', fn((o: unknown) => isMap(obj(o))));
  t.set('resourceCPU', fn((o: unknown) => str(path(o, 'spec', 'resources', 'requests', 'cpu'))));
  t.set('resourceMemory', fn((o: unknown) => str(path(o, 'spec', 'resources', 'requests', 'memory'))));
  t.set('containerImage', fn((o: unknown, i: unknown) => str(path(o, 'spec', 'template', 'spec', 'containers', int64(i), 'image') ?? path(o, 'spec', 'containers', int64(i), 'image'))));
  // replicas and jobs
  t.set('readyReplicas', fn((o: unknown) => statusNum(o, 'readyReplicas')));
  t.set('availableReplicas', fn((o: unknown) => statusNum(o, 'availableReplicas')));
  t.set('updatedReplicas', fn((o: unknown) => statusNum(o, 'updatedReplicas')));
  const desired = (o: unknown): number => (path(o, 'spec', 'replicas') === undefined || path(o, 'spec', 'replicas') === null ? 1 : int64(path(o, 'spec', 'replicas')));
  t.set('desiredReplicas', fn(desired));
  t.set('allReplicasReady', fn((o: unknown) => statusNum(o, 'readyReplicas') === desired(o)));
  t.set('rolloutComplete', fn((o: unknown) => statusNum(o, 'updatedReplicas') === desired(o)));
  t.set('jobActive', fn((o: unknown) => statusNum(o, 'active') > 0));
  t.set('jobSucceeded', fn((o: unknown) => statusNum(o, 'succeeded') > 0, { doc: 'status.succeeded > 0' }));
  t.set('jobFailed', fn((o: unknown) => statusNum(o, 'failed') > 0));
  t.set('cronJobActiveCount', fn((o: unknown) => (Array.isArray(path(o, 'status', 'active')) ? (path(o, 'status', 'active') as unknown[]).length : 0)));
  t.set('cronJobLastScheduleTime', fn((o: unknown) => str(path(o, 'status', 'lastScheduleTime'))));
  t.set('cronJobLastSuccessTime', fn((o: unknown) => str(path(o, 'status', 'lastSuccessfulTime'))));
  t.set('serviceClusterIP', fn((o: unknown) => str(path(o, 'spec', 'clusterIP'))));
  t.set('serviceLoadBalancerIP', fn((o: unknown) => str(path(o, 'status', 'loadBalancer', 'ingress', 0, 'ip'))));
  t.set('serviceLoadBalancerHost', fn((o: unknown) => str(path(o, 'status', 'loadBalancer', 'ingress', 0, 'hostname'))));
  t.set('pvcPhase', fn((o: unknown) => str(path(o, 'status', 'phase'))));
  t.set('pvcBound', fn((o: unknown) => str(path(o, 'status', 'phase')) === 'Bound'));
  t.set('hpaMinReplicas', fn((o: unknown) => (path(o, 'spec', 'minReplicas') == null ? 1 : int64(path(o, 'spec', 'minReplicas')))));
  t.set('hpaMaxReplicas', fn((o: unknown) => int64(path(o, 'spec', 'maxReplicas'))));
  t.set('hpaCurrentReplicas', fn((o: unknown) => statusNum(o, 'currentReplicas')));
  t.set('hpaDesiredReplicas', fn((o: unknown) => statusNum(o, 'desiredReplicas')));
  // kube validation
  t.set('isDNS1123Subdomain', fn((s: unknown) => str(s).length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(str(s))));
  const labelValue = (s: string): boolean => s === '' || (s.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(s));
  const qualifiedName = (s: string): boolean => {
    const parts = s.split('/');
    if (parts.length > 2 || !parts.at(-1) || !labelValue(parts.at(-1)!)) return false;
    return parts.length === 1 || (parts[0]!.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(parts[0]!));
  };
  t.set('isValidLabelKey', fn((s: unknown) => qualifiedName(str(s))));
  t.set('isValidAnnotationKey', fn((s: unknown) => qualifiedName(str(s))));
  t.set('isValidLabelValue', fn((s: unknown) => labelValue(str(s))));
  // math: int64 when whole, else float64
  t.set('add', fn((...a: unknown[]) => numResult(a.reduce<number>((x, y) => x + num(y, 'add'), 0)), { min: 2, max: V }));
  t.set('sub', fn((a: unknown, ...b: unknown[]) => numResult(b.reduce<number>((x, y) => x - num(y, 'sub'), num(a, 'sub'))), { min: 2, max: V }));
  t.set('mul', fn((...a: unknown[]) => numResult(a.reduce<number>((x, y) => x * num(y, 'mul'), 1)), { min: 2, max: V }));
  t.set('div', fn((a: unknown, b: unknown) => {
    const d = num(b, 'div');
    if (d === 0) throw new EvalError('division by zero');
    return numResult(num(a, 'div') / d);
  }));
  t.set('mod', fn((a: unknown, b: unknown) => {
    const d = int64(b);
    if (d === 0) throw new EvalError('division by zero');
    return int64(a) % d;
  }));
  t.set('max', fn((...a: unknown[]) => Math.max(...a.map((x) => num(x, 'max'))), { min: 1, max: V }));
  t.set('min', fn((...a: unknown[]) => Math.min(...a.map((x) => num(x, 'min'))), { min: 1, max: V }));
  t.set('abs', fn((a: unknown) => Math.abs(num(a, 'abs'))));
  t.set('clamp', fn((v: unknown, lo: unknown, hi: unknown) => Math.min(Math.max(num(v, 'clamp'), num(lo, 'clamp')), num(hi, 'clamp'))));
  // quantity
  t.set('parseQuantity', fn((s: unknown) => parseQuantity(s)));
  t.set('formatQuantity', fn(formatQuantity));
  t.set('sumQuantity', fn((a: unknown, b: unknown) => formatQuantity(parseQuantity(a) + parseQuantity(b))));
  t.set('subtractQuantity', fn((a: unknown, b: unknown) => formatQuantity(parseQuantity(a) - parseQuantity(b))));
  // random (stable per CR when the caller passes seededRandom)
  t.set('randomAlphanumeric', fn(function (this: CallContext, n: unknown) {
    return this.random.alphanumeric(int64(n), this.callSite);
  }, { ctx: true, doc: 'N random [A-Za-z0-9] characters' }));
  t.set('randomHex', fn(function (this: CallContext, n: unknown) {
    return Buffer.from(this.random.bytes(int64(n), this.callSite)).toString('hex');
  }, { ctx: true }));
  t.set('randomBase64', fn(function (this: CallContext, n: unknown) {
    return Buffer.from(this.random.bytes(int64(n), this.callSite)).toString('base64url');
  }, { ctx: true }));
  // safe access
  t.set('getOr', fn((v: unknown, d: unknown) => (v === null || v === undefined ? d : v)));
  t.set('getStringOr', fn((v: unknown, d: unknown) => (typeof v === 'string' ? v : d)));
  t.set('getIntOr', fn((v: unknown, d: unknown) => (kindOf(v) === 'int' || kindOf(v) === 'float' ? Math.trunc(numberOf(v)) : d)));
  t.set('getBoolOr', fn((v: unknown, d: unknown) => (typeof v === 'boolean' ? v : d)));
  // semver
  t.set('semverValid', fn((v: unknown) => semverParse(v) !== null));
  t.set('semverMajor', fn((v: unknown) => semverParse(v)?.[0] ?? 0));
  t.set('semverMinor', fn((v: unknown) => semverParse(v)?.[1] ?? 0));
  t.set('semverPatch', fn((v: unknown) => semverParse(v)?.[2] ?? 0));
  t.set('semverCompare', fn((a: unknown, b: unknown) => {
    const x = semverParse(a);
    const y = semverParse(b);
    return x && y ? semverCmp(x, y) : 0;
  }, { doc: 'semverCompare A B → -1/0/1 (sprig: semverConstraint)' }));
  t.set('semverConstraint', fn((v: unknown, c: unknown) => semverSatisfies(v, c)));
  t.set('semver', fn((v: unknown) => {
    const p = semverParse(v);
    if (!p) throw new EvalError(`invalid semantic version ${JSON.stringify(str(v))}`);
    const m = newMap();
    Object.assign(m, { Major: p[0], Minor: p[1], Patch: p[2], Prerelease: p[3], Original: str(v) });
    return m;
  }));
  t.set('semverBump', fn((v: unknown, part: unknown) => {
    const p = semverParse(v);
    if (!p) throw new EvalError(`invalid semantic version ${JSON.stringify(str(v))}`);
    const [a, b, c] = p;
    const r = str(part) === 'major' ? [a + 1, 0, 0] : str(part) === 'minor' ? [a, b + 1, 0] : [a, b, c + 1];
    return r.join('.');
  }));
  // strings (Katalog argument orders: the string comes first)
  t.set('toLower', fn((s: unknown) => str(s).toLowerCase()));
  t.set('toUpper', fn((s: unknown) => str(s).toUpperCase()));
  t.set('trim', fn((s: unknown, cut?: unknown) => (cut === undefined ? str(s).trim() : trimCutset(str(s), str(cut))), { min: 1, max: 2, doc: 'trim S [CUTSET]' }));
  t.set('trimSpace', fn((s: unknown) => str(s).trim()));
  t.set('trimPrefix', fn((s: unknown, p: unknown) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)), { doc: 'trimPrefix S PREFIX (sprig: PREFIX S)' }));
  t.set('trimSuffix', fn((s: unknown, p: unknown) => (str(p) && str(s).endsWith(str(p)) ? str(s).slice(0, -str(p).length) : str(s)), { doc: 'trimSuffix S SUFFIX' }));
  t.set('contains', fn((s: unknown, sub: unknown) => str(s).includes(str(sub)), { doc: 'contains S SUB (sprig: SUB S)' }));
  t.set('hasPrefix', fn((s: unknown, p: unknown) => str(s).startsWith(str(p)), { doc: 'hasPrefix S PREFIX' }));
  t.set('hasSuffix', fn((s: unknown, p: unknown) => str(s).endsWith(str(p)), { doc: 'hasSuffix S SUFFIX' }));
  t.set('replace', fn((s: unknown, a: unknown, b: unknown) => str(s).replaceAll(str(a), str(b)), { doc: 'replace S OLD NEW (sprig: OLD NEW S)' }));
  t.set('split', fn((s: unknown, sep: unknown) => str(s).split(str(sep)), { doc: 'split S SEP → list (sprig: map)' }));
  t.set('join', fn((a: unknown, b: unknown) => {
    // Katalog: join LIST SEP; sprig's order (join SEP LIST) is accepted when unambiguous.
    const [l, sep] = Array.isArray(a) || !Array.isArray(b) ? [a, b] : [b, a];
    return (Array.isArray(l) ? l : l === null ? [] : [l]).map((x) => (x === null ? '' : str(x))).join(str(sep));
  }, { doc: 'join LIST SEP' }));
  t.set('concat', fn((...a: unknown[]) => a.map((x) => str(x)).join(''), { min: 0, max: V }));
  t.set('repeat', fn((a: unknown, b: unknown) => {
    // Katalog: repeat S N; sprig's order (repeat N S) is accepted when unambiguous.
    const [s, n] = typeof a === 'number' && typeof b === 'string' ? [b, a] : [a, b];
    const c = int64(n);
    if (c < 0) throw new EvalError('negative repeat count');
    return str(s).repeat(c);
  }));
  t.set('truncate', fn((s: unknown, n: unknown) => {
    const c = int64(n);
    return str(s).length > c ? str(s).slice(0, Math.max(0, c)) + '...' : str(s);
  }));
  t.set('camelToKebab', fn((s: unknown) => str(s).replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()));
  // time (UTC)
  t.set('timeSince', fn(function (this: CallContext, ts: unknown) {
    return Math.floor((this.now().getTime() - parseTime(ts).getTime()) / 1000);
  }, { ctx: true }));
  t.set('timeUntil', fn(function (this: CallContext, ts: unknown) {
    const s = Math.floor((parseTime(ts).getTime() - this.now().getTime()) / 1000);
    return s > 0 ? durationString(s) : '0s';
  }, { ctx: true }));
  t.set('timeAgo', fn(function (this: CallContext, ts: unknown) {
    const s = Math.max(0, Math.floor((this.now().getTime() - parseTime(ts).getTime()) / 1000));
    if (s < 60) return `${s}s ago`;
    if (s < 3600) return `${Math.floor(s / 60)}m ago`;
    if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
    return `${Math.floor(s / 86400)}d ago`;
  }, { ctx: true }));
  t.set('timeFormat', fn((ts: unknown, layout: unknown) => goFormat(parseTime(ts), str(layout))));
  const minutesOf = (hhmm: unknown): number => {
    const m = /^(\d{1,2}):(\d{2})$/.exec(str(hhmm).trim());
    if (!m) throw new EvalError(`invalid time of day ${JSON.stringify(str(hhmm))}`);
    return Number(m[1]) * 60 + Number(m[2]);
  };
  const inWindow = (now: Date, a: unknown, b: unknown): boolean => {
    const t0 = now.getUTCHours() * 60 + now.getUTCMinutes();
    const lo = minutesOf(a);
    const hi = minutesOf(b);
    return lo <= hi ? t0 >= lo && t0 < hi : t0 >= lo || t0 < hi;
  };
  t.set('timeInWindow', fn(function (this: CallContext, a: unknown, b: unknown) {
    return inWindow(this.now(), a, b);
  }, { ctx: true }));
  t.set('timeNotInWindow', fn(function (this: CallContext, a: unknown, b: unknown) {
    return !inWindow(this.now(), a, b);
  }, { ctx: true }));
  t.set('weekday', fn(function (this: CallContext) {
    return goFormat(this.now(), 'Monday');
  }, { ctx: true }));
  t.set('weekend', fn(function (this: CallContext) {
    return [0, 6].includes(this.now().getUTCDay());
  }, { ctx: true }));
  t.set('isExpired', fn(function (this: CallContext, ts: unknown, d: unknown) {
    return this.now().getTime() > parseTime(ts).getTime() + parseDuration(str(d), true) * 1000;
  }, { ctx: true }));
  t.set('durationSeconds', fn((d: unknown) => Math.trunc(parseDuration(str(d), true))));
  t.set('durationAdd', fn((a: unknown, b: unknown) => durationString(parseDuration(str(a), true) + parseDuration(str(b), true))));
  t.set('durationValid', fn((d: unknown) => {
    try {
      parseDuration(str(d), true);
      return true;
    } catch {
      return false;
    }
  }));
  // types
  t.set('typeOf', fn((v: unknown) => ({ invalid: 'null', nil: 'null', int: 'number', float: 'number', slice: 'slice', map: 'map', bool: 'bool', string: 'string', time: 'string', func: 'func', other: 'unknown' })[kindOf(v)]));
  t.set('typeMap', fn((v: unknown) => isMap(v)));
  t.set('typeList', fn((v: unknown) => Array.isArray(v)));
  t.set('typeString', fn((v: unknown) => typeof v === 'string'));
  t.set('typeNumber', fn((v: unknown) => kindOf(v) === 'int' || kindOf(v) === 'float'));
  t.set('typeBool', fn((v: unknown) => typeof v === 'boolean'));
  t.set('typeNull', fn((v: unknown) => v === null || v === undefined));
  t.set('toString', fn((v: unknown) => (isMap(v) || Array.isArray(v) ? formatValue(v, false) : str(v))));
  t.set('toInt', fn((v: unknown) => (typeof v === 'string' ? Math.trunc(float(v)) : int64(v))));
  t.set('toFloat', fn((v: unknown) => makeFloat(float(v))));
  t.set('toBool', fn((v: unknown) => (typeof v === 'boolean' ? v : kindOf(v) === 'int' || kindOf(v) === 'float' ? numberOf(v) !== 0 : truthyString(v))));
  t.set('toList', fn((v: unknown) => (Array.isArray(v) ? v : str(v).split(',').map((x) => x.trim()).filter(Boolean))));
  // validation
  t.set('isValidEmail', fn((s: unknown) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(str(s))));
  t.set('isValidURL', fn((s: unknown) => {
    try {
      const u = new URL(str(s));
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
    } catch {
      return false;
    }
  }));
  t.set('isValidPort', fn((p: unknown) => {
    const n = typeof p === 'string' ? Number(p) : numberOf(p);
    return Number.isInteger(n) && n >= 1 && n <= 65535;
  }));
  t.set('isValidJSON', fn((s: unknown) => {
    try {
      JSON.parse(str(s));
      return true;
    } catch {
      return false;
    }
  }));
  t.set('isValidImageRef', fn((s: unknown) => /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/.test(str(s))));
  t.set('isValidGitRepository', fn((s: unknown) => /^(https?:\/\/|git@|ssh:\/\/)[^\s]+$/.test(str(s))));
  t.set('list', t.get('list')!);
  void list;
  void map;
}
