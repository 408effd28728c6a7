// Stage "cross": other operators' CRs this CR observes (`cross:`), read from their OperatorBox's
// informer cache — never from the API — and exposed as `.cross.<as>`: the object plus `found`.
import type { KubeObject } from '../../kube/index.ts';
import type { Renderer } from '../render.ts';
import type { BoxContext } from '../box-context.ts';

export function readCross(box: BoxContext, cr: KubeObject, renderer: Renderer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [i, c] of box.entry.operatorBox.cross.entries()) {
    const path = `cross[${i}]`;
    const inf = c.crd ? box.crossInformer(c.crd) : undefined;
    let found: KubeObject | undefined;
    if (inf) {
      const ns = c.selector.namespace ? renderer.string(c.selector.namespace, `${path}.selector.namespace`) : cr.metadata?.namespace;
      if (c.selector.name) {
        found = inf.get(renderer.string(c.selector.name, `${path}.selector.name`), ns);
      } else if (c.selector.matchLabels) {
        const want = Object.entries(c.selector.matchLabels).map(([k, v]) => [k, renderer.string(v, `${path}.selector.matchLabels.${k}`)]);
        found = inf.list().find((o) => (!ns || o.metadata?.namespace === ns) && want.every(([k, v]) => o.metadata?.labels?.[k] === v));
      }
    }
    out[c.as] = found ? { ...found, found: true } : { found: false };
  }
  return out;
}
