import { defineKind } from './meta.ts';

const SOURCES = ['hostPath', 'nfs', 'csi', 'local', 'iscsi', 'fc'];

/** PersistentVolume (cluster-scoped): capacity, access modes, one volume source passed through. */
export const persistentVolumes = defineKind({
  key: 'persistentVolumes',
  gvk: { group: '', version: 'v1', kind: 'PersistentVolume' },
  plural: 'persistentvolumes',
  namespaced: false,
  defaultNameSuffix: '-pv',
  body(f) {
    const storage = f.string('storage') ?? f.string('capacity');
    if (storage === undefined) f.error('storage', 'required (e.g. "10Gi")');
    const sources = Object.fromEntries(SOURCES.filter((k) => f.has(k)).map((k) => [k, f.json(k)]));
    if (Object.keys(sources).length === 0) f.error('hostPath', `a volume source is required (${SOURCES.join(', ')})`);
    return {
      spec: {
        capacity: { storage },
        accessModes: f.commaList('accessModes') ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: f.oneOf('persistentVolumeReclaimPolicy', ['Retain', 'Delete', 'Recycle'] as const)
          ?? f.oneOf('reclaimPolicy', ['Retain', 'Delete', 'Recycle'] as const),
        storageClassName: f.string('storageClassName'),
        volumeMode: f.oneOf('volumeMode', ['Filesystem', 'Block'] as const),
        nodeAffinity: f.json('nodeAffinity'),
        ...sources,
      },
    };
  },
});
