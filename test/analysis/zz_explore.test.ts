import { it } from 'vitest';
import { WORK_KINDS } from '../../src/trace/model';
import { publicModel, TRACES } from './publicModel';

it('explore', () => {
  for (const key of ['ascendLevel1', 'ascend2024'] as const) {
    const m = publicModel(TRACES[key]);
    const { slices, names, lanes } = m;
    console.log('==', key, JSON.stringify(m.meta));
    for (let i = 0; i < slices.count; i++) {
      if (names[slices.name[i]] !== 'AscendCL@aclopCompileAndExecute') continue;
      const tid = lanes[slices.lane[i]].tid;
      const s = slices.start[i];
      const encl: string[] = [];
      for (let j = 0; j < slices.count; j++) {
        if (j === i) continue;
        if (lanes[slices.lane[j]].tid !== tid) continue;
        if (slices.start[j] <= s && slices.start[j] + slices.dur[j] >= s + slices.dur[i] && slices.work[j] !== WORK_KINDS.indexOf('step')) encl.push(`${lanes[slices.lane[j]].label}:${names[slices.name[j]]}`);
        else if (slices.start[j] >= s && slices.start[j] < s + slices.dur[i]) encl.push(`  inside ${names[slices.name[j]]} ${slices.dur[j].toFixed(1)}`);
      }
      console.log(s.toFixed(1), slices.dur[i].toFixed(1), lanes[slices.lane[i]].label, encl.join(' ; '));
    }
    // CANN lanes: top-level slices summary per lane
    for (let l = 0; l < lanes.length; l++) {
      if (lanes[l].kind !== 'dispatch') continue;
      const agg = new Map<string, [number, number]>();
      for (let i = 0; i < slices.count; i++) {
        if (slices.lane[i] !== l || slices.depth[i] !== 0) continue;
        const k = WORK_KINDS[slices.work[i]] + ' ' + names[slices.name[i]].replace(/@.*/, '@');
        const a = agg.get(k) ?? [0, 0]; a[0]++; a[1] += slices.dur[i]; agg.set(k, a);
      }
      console.log(lanes[l].label, [...agg].sort((a, b) => b[1][1] - a[1][1]).slice(0, 8).map(([k, [n, us]]) => `${k} ${n} ${us.toFixed(0)}`).join(' | '));
    }
  }
});
