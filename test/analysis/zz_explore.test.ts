import { it } from 'vitest';
import { WORK_KINDS } from '../../src/trace/model';
import { publicModel, TRACES } from './publicModel';

it('explore', () => {
  for (const key of ['ascendLevel0', 'ascendLevel1', 'ascendLevel2', 'ascend2024'] as const) {
    const m = publicModel(TRACES[key]);
    const { slices, names, lanes } = m;
    console.log('==', key, m.backend, 'span', m.spanUs, 'lanes', lanes.map(l => `${l.kind}:${l.label}`).join(' | '));
    const byKind = new Map<string, { n: number; us: number; names: Map<string, [number, number]> }>();
    for (let i = 0; i < slices.count; i++) {
      const w = WORK_KINDS[slices.work[i]];
      const name = names[slices.name[i]];
      const interesting = w === 'compile' || w === 'queue' || /aicpu|ai_cpu|transdata|trans_|cast/i.test(name);
      if (!interesting) continue;
      const key2 = w + ' @' + lanes[slices.lane[i]].kind;
      const e = byKind.get(key2) ?? { n: 0, us: 0, names: new Map() };
      e.n++; e.us += slices.dur[i];
      const nn = e.names.get(name) ?? [0, 0];
      nn[0]++; nn[1] += slices.dur[i];
      e.names.set(name, nn);
      byKind.set(key2, e);
    }
    for (const [k, e] of byKind) {
      console.log(k, e.n, e.us.toFixed(3));
      const list = [...e.names].sort((a, b) => b[1][1] - a[1][1]).slice(0, 25);
      for (const [n, [c, us]] of list) console.log('   ', c, us.toFixed(3), n);
    }
  }
});
