import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKatalogText } from '../../katalog/index.ts';
import { compile } from '../../template/index.ts';
import { objectKey, type EventHandler, type InformerScope, type KubeObject, type ResourceInfo } from '../../kube/index.ts';
import { CopyCaches } from '../copies.ts';
import { openScope, type ReconcileScope } from '../scope.ts';
import { issuesOf } from '../errors.ts';
import { buildData } from './data.ts';
import { ANNOTATION_COPIED_FROM, openCopyCaches, parseNamespaceList, planCopies } from './copies.ts';
import { planResources, position } from './resources.ts';
import type { BoxContext } from '../box-context.ts';
import type { CacheView, ClusterReader } from '../ports.ts';
import type { ChildKind } from '../children.ts';

test('a rendered list of namespaces is split in every form a template gives', () => {
  const list = ['team-a', 'team-b'];
  // What the template engine itself renders for a list, with and without the usual functions.
  assert.deepEqual(parseNamespaceList(compile('{{ .l }}', { name: 't' }).render({ l: list })), list);
  assert.deepEqual(parseNamespaceList(compile('{{ toJson .l }}', { name: 't' }).render({ l: list })), list);
  assert.deepEqual(parseNamespaceList(compile('{{ toYaml .l }}', { name: 't' }).render({ l: list })), list);
  assert.deepEqual(parseNamespaceList('[team-a, \'team-b\']'), list);
  assert.deepEqual(parseNamespaceList('team-a, team-b'), list);
  assert.deepEqual(parseNamespaceList('  team-a  '), ['team-a']);
  assert.deepEqual(parseNamespaceList('[]'), []);
  assert.deepEqual(parseNamespaceList(''), []);
  assert.deepEqual(parseNamespaceList('[x]'), ['x']);
});

/** A cache over a fixed list, as the informer would hold it. */
class ListView implements CacheView {
  readonly resource = { namespaced: true } as ResourceInfo;
  readonly scope: InformerScope;
  readonly objects = new Map<string, KubeObject>();
  private readonly handlers: EventHandler<KubeObject>[] = [];
  constructor(scope: InformerScope, objects: KubeObject[] = []) {
    this.scope = scope;
    for (const o of objects) this.objects.set(objectKey(o), o);
  }
  get(name: string, namespace?: string) { return this.objects.get(namespace ? `${namespace}/${name}` : name); }
  getByKey(key: string) { return this.objects.get(key); }
  list() { return [...this.objects.values()]; }
  byIndex(index: string, value: string) {
    const [k, v] = value.split('=');
    return this.list().filter((o) => (index === 'namespace' ? o.metadata?.namespace === value : o.metadata?.labels?.[k] === v));
  }
  addEventHandler(h: EventHandler<KubeObject>) { this.handlers.push(h); return () => undefined; }
  hasSynced() { return true; }
  async waitForSync() {}
  start() {}
  async stop() {}
  /** The watch delivers a change. */
  change(o: KubeObject) {
    const old = this.objects.get(objectKey(o));
    this.objects.set(objectKey(o), o);
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, o);
      else h.onAdd?.(o, false);
    }
  }
}

const KATALOG = `
apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: { name: t }
spec:
  crds:
    dist:
      apiTypes: { group: demo.io, version: v1, kind: SecretDistribution, plural: secretdistributions }
      operatorBox:
        onCreate:
          secrets:
            - fromSecret: "{{ .spec.secretName }}"
              fromNamespace: shared
              toNamespaces: ["{{ .spec.targets }}", "extra"]
              labels: { team: platform }
          configMaps:
            - name: settings
              fromConfigMap: app-settings
              fromNamespace: "{{ .spec.from }}"
`;

interface Fixture {
  scope: ReconcileScope;
  sources: Map<string, ListView>;
  secretsChildren: ListView;
  woken: string[];
}

async function fixture(spec: Record<string, unknown>, sourceObjects: KubeObject[], children: KubeObject[] = []): Promise<Fixture> {
  const loaded = loadKatalogText(KATALOG, 'katalog.yaml');
  if (!loaded.ok) assert.fail(JSON.stringify(loaded.errors));
  const entry = loaded.katalog.crds[0];
  const sources = new Map<string, ListView>();
  const reader: ClusterReader = {
    resource: async () => ({}) as ResourceInfo,
    cache: async (ref, scope = {}) => {
      const kind = (ref as { kind: string }).kind;
      const id = `${kind}/${scope.namespace}`;
      let v = sources.get(id);
      if (!v) {
        v = new ListView(scope, sourceObjects.filter((o) => o.kind === kind && o.metadata?.namespace === scope.namespace));
        sources.set(id, v);
      }
      return v;
    },
  };
  // The runtime watches all namespaces: the managed-children informers hold every copy.
  const secretsChildren = new ListView({}, children);
  const kinds = new Map<string, ChildKind>([
    ['secrets', { key: 'secrets', apiVersion: 'v1', kind: 'Secret', namespaced: true, informer: secretsChildren }],
    ['configMaps', { key: 'configMaps', apiVersion: 'v1', kind: 'ConfigMap', namespaced: true, informer: new ListView({}) }],
  ]);
  const woken: string[] = [];
  const copies = new CopyCaches({
    reader, crdLabel: 'secretdistributions.demo.io', childKind: (k) => kinds.get(k),
    enqueue: (k) => woken.push(k), enqueueOwnerOf: () => undefined,
  });
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const box = {
    katalog: loaded.katalog, entry, crdName: 'secretdistributions.demo.io', apiVersion: 'demo.io/v1', kind: 'SecretDistribution',
    kinds, copies, log: quiet, clock: { now: () => 0 },
    metrics: () => ({}), health: () => ({}), describe: (cr: KubeObject) => `SecretDistribution ${cr.metadata?.name}`,
  } as unknown as BoxContext;
  const cr: KubeObject = { apiVersion: 'demo.io/v1', kind: 'SecretDistribution', metadata: { name: 'dist', namespace: 'apps', uid: 'u1' }, spec };
  const scope = openScope(box, 'apps/dist', cr, new AbortController().signal);
  scope.renderer.data = buildData(box, cr, {}, {});
  await openCopyCaches(scope);
  return { scope, sources, secretsChildren, woken };
}

const SOURCE: KubeObject = {
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shared', labels: { owner: 'dba' } },
  type: 'kubernetes.io/basic-auth', data: { username: 'YWRtaW4=', password: 'czNjcjN0' },
} as KubeObject;
const SETTINGS: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-settings', namespace: 'cfg' }, data: { a: '1' }, binaryData: { b: 'AA==' } } as KubeObject;

test('one copy declaration plans one copy per target namespace, with the source\'s data and type', async () => {
  const { scope } = await fixture({ secretName: 'db', targets: ['team-a', 'team-b'], from: 'cfg' }, [SOURCE, SETTINGS]);
  const d = scope.box.entry.operatorBox.onCreate.resources.find((x) => x.kind === 'secrets')!;
  const intents = planCopies(scope, 'onCreate', d, 'secrets');
  assert.deepEqual(intents.map((i) => [i.verb, i.desired?.metadata.namespace, i.desired?.metadata.name]), [
    ['create', 'team-a', 'db'], ['create', 'team-b', 'db'], ['create', 'extra', 'db'],
  ]);
  const copy = intents[0].desired as KubeObject & { data: unknown; type: string; stringData?: unknown };
  assert.deepEqual(copy.data, { username: 'YWRtaW4=', password: 'czNjcjN0' });
  assert.equal(copy.type, 'kubernetes.io/basic-auth');
  assert.equal(copy.stringData, undefined);
  assert.equal(copy.metadata?.annotations?.[ANNOTATION_COPIED_FROM], 'shared/db');
  const labels = copy.metadata?.labels ?? {};
  assert.equal(labels.team, 'platform');
  assert.equal(labels['orkestra-owner'], 'dist');
  assert.equal(labels.owner, undefined, 'the source\'s own labels are not copied');
  assert.equal(copy.metadata?.ownerReferences, undefined, 'no owner reference across namespaces');
});

test('a converged copy is kept; a changed source or a dropped key is applied', async () => {
  const planned = async (children: KubeObject[]) => {
    const { scope } = await fixture({ secretName: 'db', targets: ['team-a'] }, [SOURCE], children);
    const d = scope.box.entry.operatorBox.onCreate.resources.find((x) => x.kind === 'secrets')!;
    return planCopies(scope, 'onCreate', d, 'secrets');
  };
  const first = await planned([]);
  const stored = (i: number, patch: Record<string, unknown> = {}) => ({ ...first[i].desired, ...patch, metadata: { ...first[i].desired!.metadata, resourceVersion: '7' } }) as KubeObject;
  const kept = await planned([stored(0), stored(1)]);
  assert.deepEqual(kept.map((i) => i.verb), ['keep', 'keep']);

  const old = await planned([stored(0, { data: { username: 'YWRtaW4=', password: 'b2xk' } }), stored(1)]);
  assert.deepEqual(old.map((i) => [i.verb, i.difference?.path]), [['apply', 'data.password'], ['keep', undefined]]);
  assert.notEqual(old[0].difference?.live, 'b2xk', 'no value in the difference');

  const extra = await planned([stored(0, { data: { username: 'YWRtaW4=', password: 'czNjcjN0', gone: 'eA==' } }), stored(1)]);
  assert.deepEqual([extra[0].verb, extra[0].replace, extra[0].difference?.path], ['apply', true, 'data.gone']);
});

test('a ConfigMap copy takes data and binaryData from a templated source namespace', async () => {
  const { scope, sources } = await fixture({ secretName: 'db', targets: [], from: 'cfg' }, [SOURCE, SETTINGS]);
  assert.ok(sources.has('ConfigMap/cfg'), 'the templated namespace\'s cache was opened on first use');
  const d = scope.box.entry.operatorBox.onCreate.resources.find((x) => x.kind === 'configMaps')!;
  const [intent, ...rest] = planCopies(scope, 'onCreate', d, 'configMaps');
  assert.equal(rest.length, 0);
  assert.equal(intent.desired?.metadata.namespace, 'apps', 'without toNamespaces: the CR\'s namespace');
  assert.equal(intent.desired?.metadata.name, 'settings');
  assert.deepEqual([(intent.desired as { data?: unknown }).data, (intent.desired as { binaryData?: unknown }).binaryData], [{ a: '1' }, { b: 'AA==' }]);
  assert.equal(intent.desired?.metadata.ownerReferences?.[0]?.name, 'dist', 'a copy in the CR\'s namespace is owned');
});

test('a missing source is a terminal issue naming the source and the field; its creation wakes the CR', async () => {
  const { scope, sources, woken } = await fixture({ secretName: 'nope', targets: ['team-a'], from: 'cfg' }, [SETTINGS]);
  planResources(scope);
  const issue = scope.issues.find((i) => i.reason === 'SourceNotFound');
  assert.ok(issue, JSON.stringify(scope.issues));
  assert.equal(issue.terminal, true);
  assert.match(issue.message, /Secret shared\/nope not found/);
  assert.match(issue.path ?? '', /onCreate\.secrets\[0\]\.fromSecret$/);
  assert.deepEqual(scope.intents.filter((i) => i.desired?.kind === 'Secret'), [], 'no empty Secret');
  const configMap = scope.intents.find((i) => i.desired?.kind === 'ConfigMap')!;
  assert.ok(scope.haltAt !== undefined && scope.haltAt <= position(configMap.hook, configMap.order), 'the later kinds are not written');

  sources.get('Secret/shared')!.change({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'shared' } });
  assert.deepEqual(woken, [], 'another Secret of the namespace wakes nobody');
  sources.get('Secret/shared')!.change({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'nope', namespace: 'shared' }, data: {} } as KubeObject);
  assert.deepEqual(woken, ['apps/dist']);
});

test('bad target namespaces, declared data and a copy onto its own source are refused with the field', async () => {
  const { scope } = await fixture({ secretName: 'db', targets: ['Team_A'] }, [SOURCE]);
  const d = scope.box.entry.operatorBox.onCreate.resources.find((x) => x.kind === 'secrets')!;
  assert.throws(() => planCopies(scope, 'onCreate', d, 'secrets'), /toNamespaces\[0\]: "Team_A" is not a namespace name/);
  assert.throws(() => planCopies(scope, 'onCreate', { ...d, spec: { ...d.spec, data: { x: 'y' } } }, 'secrets'), /data: a copy takes data/);
  const self = { ...d, spec: { fromSecret: 'db', fromNamespace: 'shared', toNamespaces: 'shared' } };
  const issues = (() => { try { planCopies(scope, 'onCreate', self, 'secrets'); return []; } catch (e) { return issuesOf(e); } })();
  assert.match(issues[0]?.message ?? '', /overwrite its own source shared\/db/);
  assert.equal(issues[0]?.terminal, true);
});
