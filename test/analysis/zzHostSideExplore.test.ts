import { it } from 'vitest';
import { publicModel, TRACES } from './publicModel';
import { WORK_KINDS } from '../../src/trace/model';
it('explore', () => {
  for (const key of ['ascendLevel0','ascendLevel1','ascend2024','dlrm','nsResolution']) {
    const m = publicModel((TRACES as any)[key]);
    const c = new Map<string, number>();
    for (let k = 0; k < m.links.count; k++) {
      const f = m.links.from[k], t = m.links.to[k];
      const s = `${m.lanes[m.slices.lane[f]].kind}:${WORK_KINDS[m.slices.work[f]]}:${m.names[m.slices.name[f]].slice(0,25)} -> ${m.lanes[m.slices.lane[t]].kind}:${WORK_KINDS[m.slices.work[t]]}`;
      c.set(s, (c.get(s) ?? 0) + 1);
    }
    console.log(key, JSON.stringify(m.meta.versions), m.meta.device, [...c].sort((a,b)=>b[1]-a[1]).slice(0,8));
  }
}, 120000);
