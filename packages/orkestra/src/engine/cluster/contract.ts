// The contract every cluster behind the engine's ports keeps: the Kubernetes semantics the engine
// relies on, as one set of tests run against the real API server (test/e2e/cluster-contract.test.ts)
// and against the memory cluster (engine/memory/memory-cluster.test.ts). A behaviour the two
// disagree on fails in one of them; that is the point. Tests wait for conditions with a deadline
// (the real server's caches and garbage collector are asynchronous), never for a fixed time.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UnknownResourceError, isAlreadyExists, isConflict, isNotFound, terminatingNamespaces, type GroupVersionKind, type KubeObject } from '../../kube/index.ts';
import type { CacheView, ClusterApi, ClusterReader, ClusterWriter } from '../ports.ts';

export interface ContractTarget {
  api: ClusterApi;
  reader: ClusterReader;
  writer: ClusterWriter;
  /** A namespace of its own for one test (the harness removes it afterwards). */
  namespace(): Promise<string>;
  /** A namespaced test kind whose CRD has the status subresource, registered by `start`. */
  withStatus: GroupVersionKind;
  /** A namespaced test kind whose CRD has no subresources. */
  withoutStatus: GroupVersionKind;
  /** Write requests (create, apply, patch, update, delete) sent since the last reset. */
  writeRequests(): number;
  resetRequests(): void;
  /** Polls `condition` until it is truthy (returned) or `timeoutMs` passes (throws). */
  waitFor<T>(condition: () => T | Promise<T>, opts: { timeoutMs: number; message: string }): Promise<NonNullable<T>>;
}

export interface ContractHarness {
  /** Once before the tests: connect and register the two test CRDs (see `contractCrd`). */
  start(): Promise<ContractTarget>;
  /** Once after: remove what `start` created. */
  stop(): Promise<void>;
}

/** A namespaced CRD with a free-form spec and status, with or without the status subresource. */
export function contractCrd(group: string, kind: string, plural: string, statusSubresource: boolean): KubeObject {
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          ...(statusSubresource ? { subresources: { status: {} } } : {}),
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: open, status: open } } },
        },
      ],
    },
  };
}

const CM: GroupVersionKind = { apiVersion: 'v1', kind: 'ConfigMap' };
const NS: GroupVersionKind = { apiVersion: 'v1', kind: 'Namespace' };
/** Room for the real server's garbage collector and watch delivery on a busy machine. */
const DEADLINE = 60_000;

/** `o` when `ok`, else undefined: a waitFor condition that answers with the object it waited for. */
const when = (ok: unknown, o: KubeObject | undefined): KubeObject | undefined => (ok ? o : undefined);
const rv = (o: KubeObject | undefined): string | undefined => o?.metadata?.resourceVersion;
const gen = (o: KubeObject | undefined): number | undefined => o?.metadata?.generation;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the request to be refused');
}

/** Records what a view delivers, by name. */
function recorder(view: CacheView): { adds: string[]; updates: string[]; deletes: KubeObject[]; remove: () => void } {
  const out = { adds: [] as string[], updates: [] as string[], deletes: [] as KubeObject[], remove: () => {} };
  out.remove = view.addEventHandler({
    onAdd: (o) => out.adds.push(o.metadata?.name ?? ''),
    onUpdate: (_old, o) => out.updates.push(o.metadata?.name ?? ''),
    onDelete: (o) => out.deletes.push(o),
  });
  return out;
}

export function clusterContract(name: string, harness: ContractHarness): void {
  describe(`cluster contract: ${name}`, () => {
    let c: ContractTarget;
    before(async () => {
      c = await harness.start();
    });
    after(() => harness.stop());

    const started = async (ref: GroupVersionKind, scope: { namespace?: string; labelSelector?: string }): Promise<CacheView> => {
      const view = await c.reader.cache(ref, scope);
      view.start();
      await view.waitForSync(DEADLINE);
      return view;
    };
    const gone = (ref: GroupVersionKind, ns: string | undefined, n: string) => async (): Promise<boolean> => {
      try {
        await c.api.get(ref, n, { namespace: ns });
        return false;
      } catch (e) {
        if (isNotFound(e)) return true;
        throw e;
      }
    };

    it('discovery: test kinds resolve with plural, scope and subresources; an unknown kind is UnknownResourceError', async () => {
      const w = await c.reader.resource(c.withStatus);
      assert.deepEqual([w.kind, w.namespaced, w.subresources], [c.withStatus.kind, true, ['status']]);
      assert.deepEqual((await c.reader.resource(c.withoutStatus)).subresources, []);
      const cm = await c.reader.resource(CM);
      assert.deepEqual([cm.group, cm.version, cm.resource, cm.namespaced], ['', 'v1', 'configmaps', true]);
      assert.equal((await c.reader.resource({ apiVersion: 'v1', kind: 'Namespace' })).namespaced, false);
      await assert.rejects(c.reader.resource({ apiVersion: 'v1', kind: 'NoSuchKind' }), UnknownResourceError);
      await assert.rejects(c.reader.cache({ apiVersion: `${c.withStatus.apiVersion.split('/')[0]}/v9`, kind: c.withStatus.kind }), UnknownResourceError);
    });

    it('apply: creates; re-applying the same configuration keeps resourceVersion; a change bumps resourceVersion and generation', async () => {
      const ns = await c.namespace();
      const cfg = (size: number): KubeObject => ({ ...c.withStatus, metadata: { name: 'w', namespace: ns, labels: { app: 'w' } }, spec: { size, tags: ['a', 'b'] } });
      const created = await c.api.apply(cfg(1), { fieldManager: 'contract-a', force: true });
      assert.ok(created.metadata?.uid, 'a new object has a uid');
      assert.equal(gen(created), 1);
      assert.match(created.metadata?.creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const again = await c.api.apply(cfg(1), { fieldManager: 'contract-a', force: true });
      assert.equal(rv(again), rv(created), 'a no-op apply keeps resourceVersion');
      assert.equal(gen(again), 1);
      const changed = await c.api.apply(cfg(2), { fieldManager: 'contract-a', force: true });
      assert.notEqual(rv(changed), rv(created));
      assert.ok(BigInt(rv(changed)!) > BigInt(rv(created)!), 'resourceVersions increase');
      assert.equal(gen(changed), 2);
      assert.deepEqual(changed.spec, { size: 2, tags: ['a', 'b'] });
      const labelled = await c.api.apply({ ...cfg(2), metadata: { name: 'w', namespace: ns, labels: { app: 'w', tier: 'x' } } }, { fieldManager: 'contract-a', force: true });
      assert.notEqual(rv(labelled), rv(changed));
      assert.equal(gen(labelled), 2, 'a metadata change leaves generation alone');
    });

    it('metadata.generation exists where the server keeps it: custom kinds and Deployments, not ConfigMaps', async () => {
      const ns = await c.namespace();
      const labels = { app: 'g' };
      const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'g', namespace: ns }, spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
      assert.equal(gen(await c.api.apply(deployment, { fieldManager: 'contract-a', force: true })), 1);
      const cm = await c.api.create({ ...CM, metadata: { name: 'g', namespace: ns, finalizers: ['contract.orkestra.dev/hold'] }, data: { a: '1' } });
      assert.equal(gen(cm), undefined);
      assert.equal(gen(await c.api.patch(CM, 'g', { data: { a: '2' } }, { namespace: ns })), undefined, 'a change does not add one');
      await c.writer.delete(cm);
      const marked = await c.api.get(CM, 'g', { namespace: ns });
      assert.ok(marked.metadata?.deletionTimestamp);
      assert.equal(gen(marked), undefined, 'nor does deletion');
      await c.writer.patchMetadata(marked, { finalizers: [] });
    });

    it('apply: fields dropped from the applied configuration disappear; fields another writer set survive', async () => {
      const ns = await c.namespace();
      const meta = { name: 'cm', namespace: ns };
      await c.api.apply({ ...CM, metadata: { ...meta, labels: { keep: '1', drop: '1' } }, data: { a: '1', b: '2', c: '3' } }, { fieldManager: 'contract-a', force: true });
      await c.api.patch(CM, 'cm', { metadata: { labels: { theirs: '1' } }, data: { x: 'theirs', c: 'changed by them' } }, { type: 'merge', namespace: ns });
      await c.api.apply({ ...CM, metadata: { ...meta, labels: { other: '1' } }, data: { o: 'other manager' } }, { fieldManager: 'contract-b', force: true });
      const after = await c.api.apply({ ...CM, metadata: { ...meta, labels: { keep: '1' } }, data: { a: '1' } }, { fieldManager: 'contract-a', force: true });
      assert.deepEqual(after.data, { a: '1', c: 'changed by them', x: 'theirs', o: 'other manager' }, 'b (dropped) is gone; c changed by another writer is theirs now');
      assert.deepEqual(after.metadata?.labels, { keep: '1', theirs: '1', other: '1' });
      const list = await c.api.apply({ ...c.withStatus, metadata: { name: 'l', namespace: ns }, spec: { items: ['a', 'b', 'c'] } }, { fieldManager: 'contract-a', force: true });
      assert.deepEqual(list.spec, { items: ['a', 'b', 'c'] });
      const shorter = await c.api.apply({ ...c.withStatus, metadata: { name: 'l', namespace: ns }, spec: { items: ['c'] } }, { fieldManager: 'contract-a', force: true });
      assert.deepEqual(shorter.spec, { items: ['c'] }, 'a plain list is replaced as a whole');
    });

    it('a metadata patch guarded by a stale resourceVersion is a 409 Conflict; a fresh one applies', async () => {
      const ns = await c.namespace();
      const first = await c.api.create({ ...CM, metadata: { name: 'guarded', namespace: ns }, data: { v: '1' } });
      const second = await c.api.patch(CM, 'guarded', { data: { v: '2' } }, { type: 'merge', namespace: ns });
      const err = await rejection(c.writer.patchMetadata(first, { finalizers: ['contract.orkestra.dev/x'] }));
      assert.ok(isConflict(err), `a stale patch is a Conflict (got ${String(err)})`);
      assert.equal(isAlreadyExists(err), false);
      const patched = await c.writer.patchMetadata(second, { finalizers: ['contract.orkestra.dev/x'], labels: { l: 'v' } });
      assert.deepEqual(patched.metadata?.finalizers, ['contract.orkestra.dev/x']);
      assert.deepEqual(patched.metadata?.labels, { l: 'v' });
      const removed = await c.writer.patchMetadata(patched, { finalizers: [], labels: { l: null } });
      assert.equal((removed.metadata?.finalizers ?? []).length, 0);
      assert.equal(removed.metadata?.labels?.l, undefined, 'null removes a label');
    });

    it('create of an existing name is AlreadyExists; get of a missing object is NotFound; a nameless create is Invalid', async () => {
      const ns = await c.namespace();
      await c.api.create({ ...CM, metadata: { name: 'twice', namespace: ns } });
      const dup = await rejection(c.api.create({ ...CM, metadata: { name: 'twice', namespace: ns } }));
      assert.ok(isAlreadyExists(dup), String(dup));
      assert.equal(isConflict(dup), false, 'AlreadyExists is not a Conflict to retry');
      const missing = await rejection(c.api.get(CM, 'nope', { namespace: ns }));
      assert.ok(isNotFound(missing), String(missing));
      assert.match(String(missing), /configmaps "nope" not found/);
      const nameless = await rejection(c.api.create({ ...CM, metadata: { namespace: ns } }));
      assert.equal((nameless as { statusCode?: number }).statusCode, 422, String(nameless));
      assert.equal((nameless as { reason?: string }).reason, 'Invalid');
      await c.writer.delete({ ...CM, metadata: { name: 'never-was', namespace: ns } });
    });

    it('finalizers: delete marks the object (deletionTimestamp) and keeps it until the last finalizer goes; then the view delivers a delete', async () => {
      const ns = await c.namespace();
      const view = await started(c.withStatus, { namespace: ns });
      const seen = recorder(view);
      const live = await c.api.create({ ...c.withStatus, metadata: { name: 'held', namespace: ns, finalizers: ['contract.orkestra.dev/hold'] }, spec: { x: 1 } });
      await c.writer.delete(live);
      const marked = await c.api.get(c.withStatus, 'held', { namespace: ns });
      assert.ok(marked.metadata?.deletionTimestamp, 'deletionTimestamp is set');
      assert.deepEqual(marked.metadata?.finalizers, ['contract.orkestra.dev/hold'], 'the object stays while a finalizer is left');
      assert.equal(gen(marked), 2, 'marking an object for deletion bumps its generation');
      await c.writer.delete(marked);
      const cached = await c.waitFor(() => when(view.get('held', ns)?.metadata?.deletionTimestamp, view.get('held', ns)), { timeoutMs: DEADLINE, message: 'the marked object in the view' });
      const refused = await rejection(c.writer.patchMetadata(cached, { finalizers: ['contract.orkestra.dev/hold', 'contract.orkestra.dev/late'] }));
      assert.equal((refused as { statusCode?: number }).statusCode, 422, `no new finalizers on an object being deleted (got ${String(refused)})`);
      await c.writer.patchMetadata(cached, { finalizers: [] });
      await c.waitFor(gone(c.withStatus, ns, 'held'), { timeoutMs: DEADLINE, message: 'held removed' });
      await c.waitFor(() => seen.deletes.some((o) => o.metadata?.name === 'held'), { timeoutMs: DEADLINE, message: 'a delete event for held' });
      assert.equal(view.get('held', ns), undefined, 'gone from the cache');
      seen.remove();
    });

    it('owner references: dependents are collected when their owner goes; Orphan keeps them and drops the reference', async () => {
      const ns = await c.namespace();
      const owner = await c.api.create({ ...CM, metadata: { name: 'owner', namespace: ns } });
      const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid!, controller: true };
      await c.api.create({ ...CM, metadata: { name: 'dependent', namespace: ns, ownerReferences: [ref] } });
      const grand = await c.api.get(CM, 'dependent', { namespace: ns });
      await c.api.create({ ...CM, metadata: { name: 'grandchild', namespace: ns, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'dependent', uid: grand.metadata!.uid! }] } });
      await c.writer.delete(owner);
      await c.waitFor(gone(CM, ns, 'dependent'), { timeoutMs: DEADLINE, message: 'the dependent collected' });
      await c.waitFor(gone(CM, ns, 'grandchild'), { timeoutMs: DEADLINE, message: 'the dependent of the dependent collected' });

      const keeper = await c.api.create({ ...CM, metadata: { name: 'keeper', namespace: ns } });
      await c.api.create({ ...CM, metadata: { name: 'orphan', namespace: ns, ownerReferences: [{ ...ref, name: 'keeper', uid: keeper.metadata!.uid! }] } });
      await c.writer.delete(keeper, { propagationPolicy: 'Orphan' });
      await c.waitFor(gone(CM, ns, 'keeper'), { timeoutMs: DEADLINE, message: 'the orphaning owner removed' });
      const orphan = await c.waitFor(async () => {
        const o = await c.api.get(CM, 'orphan', { namespace: ns });
        return when((o.metadata?.ownerReferences ?? []).length === 0, o);
      }, { timeoutMs: DEADLINE, message: 'the orphan without its owner reference' });
      assert.equal(orphan.metadata?.name, 'orphan');
    });

    it('status subresource: patchStatus changes status only and leaves generation alone; applies and patches of the object ignore status', async () => {
      const ns = await c.namespace();
      const created = await c.api.apply({ ...c.withStatus, metadata: { name: 's', namespace: ns }, spec: { size: 1 }, status: { phase: 'Ignored' } }, { fieldManager: 'contract-a', force: true });
      assert.equal(created.status?.phase, undefined, 'status in an apply of the object is ignored');
      const res = await c.writer.applyStatus(created, { phase: 'Ready', observedGeneration: 1 });
      assert.equal(res.changed, true);
      assert.deepEqual(res.object.status, { phase: 'Ready', observedGeneration: 1 });
      assert.equal(gen(res.object), 1, 'a status write leaves generation alone');
      assert.notEqual(rv(res.object), rv(created), 'but it is a new resourceVersion');
      const reapplied = await c.api.apply({ ...c.withStatus, metadata: { name: 's', namespace: ns }, spec: { size: 1 }, status: { phase: 'Overwritten?' } }, { fieldManager: 'contract-a', force: true });
      assert.equal(reapplied.status?.phase, 'Ready');
      assert.equal(rv(reapplied), rv(res.object), 'an apply that differs only in status changes nothing');
      const patched = await c.api.patch(c.withStatus, 's', { spec: { size: 2 }, status: { phase: 'Patched?' } }, { type: 'merge', namespace: ns });
      assert.deepEqual([patched.spec?.size, patched.status?.phase, gen(patched)], [2, 'Ready', 2]);
      const merged = await c.api.patchStatus(patched, { observedGeneration: 2 });
      assert.deepEqual(merged.status, { phase: 'Ready', observedGeneration: 2 }, 'patchStatus merges');
      assert.deepEqual(merged.spec, { size: 2 });
    });

    it('without a status subresource, status is part of the object: patchStatus bumps generation, an apply sets status', async () => {
      const ns = await c.namespace();
      const created = await c.api.apply({ ...c.withoutStatus, metadata: { name: 'g', namespace: ns }, spec: { size: 1 } }, { fieldManager: 'contract-a', force: true });
      assert.equal(gen(created), 1);
      const res = await c.writer.applyStatus(created, { phase: 'Ready' });
      assert.equal(res.changed, true);
      assert.equal(res.object.status?.phase, 'Ready');
      assert.equal(gen(res.object), 2, 'the engine must expect its own status write to bump generation here');
      const same = await c.writer.applyStatus(res.object, { phase: 'Ready' });
      assert.equal(same.changed, false);
      const applied = await c.api.apply({ ...c.withoutStatus, metadata: { name: 'g', namespace: ns }, spec: { size: 1 }, status: { phase: 'Applied' } }, { fieldManager: 'contract-a', force: true });
      assert.equal(applied.status?.phase, 'Applied');
      assert.equal(gen(applied), 3);
    });

    it('cached views: a label selector admits only matching objects; an object relabelled out is delivered as a delete, back in as an add', async () => {
      const ns = await c.namespace();
      const view = await started(CM, { namespace: ns, labelSelector: 'contract=yes,tier in (a,b),!skip' });
      const seen = recorder(view);
      await c.api.create({ ...CM, metadata: { name: 'in', namespace: ns, labels: { contract: 'yes', tier: 'a' } } });
      await c.api.create({ ...CM, metadata: { name: 'wrong-tier', namespace: ns, labels: { contract: 'yes', tier: 'c' } } });
      await c.api.create({ ...CM, metadata: { name: 'skipped', namespace: ns, labels: { contract: 'yes', tier: 'b', skip: '' } } });
      await c.api.create({ ...CM, metadata: { name: 'unlabelled', namespace: ns } });
      const other = await c.namespace();
      await c.api.create({ ...CM, metadata: { name: 'elsewhere', namespace: other, labels: { contract: 'yes', tier: 'a' } } });
      const marker = await c.api.create({ ...CM, metadata: { name: 'marker', namespace: ns, labels: { contract: 'yes', tier: 'b' } } });
      await c.waitFor(() => view.get('marker', ns), { timeoutMs: DEADLINE, message: 'the marker in the view' });
      assert.deepEqual(view.list().map((o) => o.metadata?.name).sort(), ['in', 'marker']);
      assert.deepEqual(view.byIndex('label', 'tier=b').map((o) => o.metadata?.name), ['marker']);
      assert.equal(view.byIndex('namespace', ns).length, 2);
      assert.ok(Object.isFrozen(view.get('marker', ns)) && Object.isFrozen(view.get('marker', ns)?.metadata?.labels), 'cached objects are frozen');
      assert.equal(await c.reader.cache(CM, { namespace: ns, labelSelector: 'contract=yes,tier in (a,b),!skip' }), view, 'one shared view per resource and scope');
      const late: [string, boolean][] = [];
      view.addEventHandler({ onAdd: (o, initial) => late.push([o.metadata?.name ?? '', initial]) })();
      assert.deepEqual(late.sort(), [['in', true], ['marker', true]], 'a late handler gets the cached objects as initial adds');

      const out = await c.writer.patchMetadata(marker, { labels: { tier: 'c' } });
      await c.waitFor(() => seen.deletes.some((o) => o.metadata?.name === 'marker'), { timeoutMs: DEADLINE, message: 'marker delivered as a delete' });
      assert.equal(view.get('marker', ns), undefined);
      await c.writer.patchMetadata(out, { labels: { tier: 'a' } });
      await c.waitFor(() => seen.adds.filter((n) => n === 'marker').length === 2, { timeoutMs: DEADLINE, message: 'marker back as an add' });
      assert.equal(view.get('marker', ns)?.metadata?.labels?.tier, 'a');
      seen.remove();
    });

    it('a namespace being deleted refuses new objects (403, as terminatingNamespaces reads it), deletes its contents and goes when they are gone', async () => {
      const ns = await c.namespace();
      await c.api.create({ ...CM, metadata: { name: 'inside', namespace: ns } });
      // A finalizer keeps the namespace in its terminating phase for as long as the test needs it.
      await c.api.create({ ...CM, metadata: { name: 'held', namespace: ns, finalizers: ['contract.orkestra.dev/hold'] } });
      await c.api.delete(NS, ns);
      const marked = await c.api.get(NS, ns);
      assert.ok(marked.metadata?.deletionTimestamp);
      assert.equal(marked.status?.phase, 'Terminating');
      let attempt = 0;
      // The server's admission reads namespaces from its own cache: the refusal may take a moment.
      await c.waitFor(
        () => c.api.create({ ...CM, metadata: { name: `late-${++attempt}`, namespace: ns } }).then(() => false, (e: unknown) => terminatingNamespaces(e)?.[0] === ns),
        { timeoutMs: DEADLINE, message: 'a create refused because the namespace is terminating' },
      );
      await c.waitFor(gone(CM, ns, 'inside'), { timeoutMs: DEADLINE, message: 'the namespace contents deleted' });
      const held = await c.waitFor(async () => {
        const o = await c.api.get(CM, 'held', { namespace: ns });
        return when(o.metadata?.deletionTimestamp, o);
      }, { timeoutMs: DEADLINE, message: 'the held object marked for deletion' });
      assert.ok(await c.api.get(NS, ns), 'the namespace waits for its last object');
      await c.writer.patchMetadata(held, { finalizers: [] });
      await c.waitFor(gone(NS, undefined, ns), { timeoutMs: DEADLINE, message: 'the namespace gone' });
    });

    it('the writer sends nothing when the cached object already matches, and exactly one request for a change', async () => {
      const ns = await c.namespace();
      const view = await started(c.withStatus, { namespace: ns });
      const desired = (size: number): KubeObject => ({ ...c.withStatus, metadata: { name: 'quiet', namespace: ns, labels: { app: 'quiet' } }, spec: { size, nested: { a: 'b' } } });
      const first = await c.writer.apply(desired(1), view.get('quiet', ns));
      assert.equal(first.changed, true);
      const cached = await c.waitFor(() => when(rv(view.get('quiet', ns)) === rv(first.object), view.get('quiet', ns)), { timeoutMs: DEADLINE, message: 'quiet in the view' });
      c.resetRequests();
      const again = await c.writer.apply(desired(1), cached);
      assert.equal(again.changed, false);
      assert.equal(c.writeRequests(), 0, 'no request for an unchanged object');
      const status = await c.writer.applyStatus(cached, { phase: 'Ready' });
      assert.equal(c.writeRequests(), 1);
      const withStatus = await c.waitFor(() => when(rv(view.get('quiet', ns)) === rv(status.object), view.get('quiet', ns)), { timeoutMs: DEADLINE, message: 'the status in the view' });
      c.resetRequests();
      assert.equal((await c.writer.applyStatus(withStatus, { phase: 'Ready' })).changed, false);
      assert.equal(c.writeRequests(), 0, 'no request for an unchanged status');
      const changed = await c.writer.apply(desired(2), withStatus);
      assert.equal(changed.changed, true);
      assert.equal(changed.difference?.path, 'spec.size');
      assert.equal(c.writeRequests(), 1, 'exactly one request for a change');
    });
  });
}
