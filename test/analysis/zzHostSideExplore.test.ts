import { it } from 'vitest';
import { publicModel, TRACES } from './publicModel';
import { WORK_KINDS } from '../../src/trace/model';
it('explore', () => {
  for (const [key, rel] of Object.entries(TRACES)) {
    const m = publicModel(rel);
    const byKind = new Map<string, Map<string, [number, number]>>();
    for (let i = 0; i < m.slices.count; i++) {
      const w = WORK_KINDS[m.slices.work[i]];
      const lk = m.lanes[m.slices.lane[i]].kind;
      if (!['launch','sync','queue','copy','kernel'].includes(w) && !/gc/i.test(m.names[m.slices.name[i]])) continue;
      const k = `${lk}/${w}`;
      let mm = byKind.get(k); if (!mm) byKind.set(k, mm = new Map());
      const n = w === 'kernel' ? '*' : m.names[m.slices.name[i]].slice(0,60);
      const e = mm.get(n) ?? [0,0]; e[0]++; e[1]+=m.slices.dur[i]; mm.set(n,e);
    }
    console.log(`== ${key} backend=${m.backend} span=${m.spanUs} steps=${JSON.stringify(m.steps.map(s=>[s.name,s.start,s.dur]))} links=${m.links.count} env=${JSON.stringify(m.meta.env)}`);
    console.log('lanes', m.lanes.map(l=>l.kind+':'+l.label).join(' | ').slice(0,600));
    for (const [k, mm] of byKind) console.log(' ', k, [...mm].sort((a,b)=>b[1][0]-a[1][0]).slice(0,8).map(([n,[c,d]])=>`${n} x${c} ${d.toFixed(0)}us`).join('; '));
  }
}, 120000);
