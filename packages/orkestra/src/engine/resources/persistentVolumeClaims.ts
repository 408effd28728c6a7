import { defineKind } from './meta.ts';

/** PVC: `storage` (size) or `resources.requests.storage`; accessModes default ReadWriteOnce. */
export const persistentVolumeClaims = defineKind({
  key: 'persistentVolumeClaims',
  gvk: { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
  plural: 'persistentvolumeclaims',
  namespaced: true,
  defaultNameSuffix: '-pvc',
  body(f) {
    const resources = f.object('resources');
    const storage = f.string('storage') ?? f.string('size')
      ?? (resources ? f.stringMapAt(resources.requests, 'resources.requests')?.storage : undefined);
    if (storage === undefined) f.error('storage', 'required (e.g. "10Gi")');
    return {
      spec: {
        accessModes: f.commaList('accessModes') ?? ['ReadWriteOnce'],
        resources: { requests: { storage } },
        storageClassName: f.string('storageClassName'),
        volumeMode: f.oneOf('volumeMode', ['Filesystem', 'Block'] as const),
        volumeName: f.string('volumeName'),
        selector: f.json('selector'),
      },
    };
  },
});
