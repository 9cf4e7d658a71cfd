import type { TranslationBundle } from '@jupyterlab/translation';
import { describe, expect, it } from 'vitest';
import type { IFinding } from '../../src/analysis/finding';
import { dataloader } from '../../src/analysis/rules/dataloader';
import { dynamicShape } from '../../src/analysis/rules/dynamicShape';
import type { ITraceModel } from '../../src/trace/model';
import { dataloaderText } from '../../src/view/findings/dataloaderText';
import { dynamicShapeText } from '../../src/view/findings/dynamicShapeText';
import { makeTrace } from '../analysis/makeTrace';
import { publicModel, publicModelWithSiblings, TRACES } from '../analysis/publicModel';

/** A bundle that fills %n placeholders, as the real one does. */
const trans = {
  __: (text: string, ...args: unknown[]) =>
    text.replace(/%(\d+)/g, (_, n) => String(args[Number(n) - 1]))
} as unknown as TranslationBundle;

/** The Level1 model with its kernel summary's OP State replaced. */
function withOpState(dynamic: number, staticOps: number): ITraceModel {
  const model = publicModelWithSiblings(TRACES.ascendLevel1);
  const kernels = model.meta.ascend!.kernelSummary!;
  return {
    ...model,
    meta: {
      ...model.meta,
      ascend: { ...model.meta.ascend!, kernelSummary: { ...kernels, opState: { dynamic, static: staticOps } } }
    }
  };
}

/** A host loop with one DataLoader fetch of `dur` µs. */
function fetch(name: string, dur: number): ITraceModel {
  return makeTrace({
    lanes: [{ kind: 'host', label: 'Thread 1' }],
    slices: [
      { lane: 0, name, start: 0, dur, work: 'op' },
      { lane: 0, name: 'aten::mm', start: dur, dur: 100_000, work: 'op' }
    ]
  });
}

const MULTI = 'enumerate(DataLoader)#_MultiProcessingDataLoaderIter.__next__';
const ascendNoCompile = makeTrace({ backend: 'ascend', lanes: [{ kind: 'device', label: 'Stream 2' }], slices: [{ lane: 0, name: 'Add', start: 0, dur: 5, work: 'kernel' }] });
ascendNoCompile.meta.ascend = { files: [], kernelSummary: withOpState(12, 0).meta.ascend!.kernelSummary };

type Describer = (f: IFinding, t: TranslationBundle) => { title: string; detail: string; after?: string };
const cases: [string, Describer, IFinding][] = [
  ['dynamic-shape dynamic', dynamicShapeText, dynamicShape(publicModelWithSiblings(TRACES.ascendLevel1))],
  ['dynamic-shape dynamic without compiles', dynamicShapeText, dynamicShape(ascendNoCompile)],
  ['dynamic-shape ok', dynamicShapeText, dynamicShape(withOpState(150, 37))],
  ['dynamic-shape n/a level0', dynamicShapeText, dynamicShape(publicModelWithSiblings(TRACES.ascendLevel0))],
  ['dynamic-shape n/a no folder', dynamicShapeText, dynamicShape(publicModel(TRACES.ascend2024))],
  ['dynamic-shape n/a cuda', dynamicShapeText, dynamicShape(publicModel(TRACES.dlrm))],
  ['dataloader slow single', dataloaderText, dataloader(publicModel(TRACES.resnet50))],
  ['dataloader slow multi', dataloaderText, dataloader(fetch(MULTI, 25_000))],
  ['dataloader slow other', dataloaderText, dataloader(fetch('MyDataLoader.next', 25_000))],
  ['dataloader none', dataloaderText, dataloader(publicModel(TRACES.control))],
  ['dataloader none without loads', dataloaderText, dataloader(publicModel(TRACES.cpuOnly))]
];

describe('more finding texts', () => {
  it.each(cases)('fills every placeholder of %s', (_, describe, finding) => {
    const text = describe(finding, trans);
    for (const part of [text.title, text.detail, text.after ?? '']) {
      expect(part).not.toMatch(/%\d|undefined|NaN/);
    }
    expect(text.title.length).toBeGreaterThan(0);
    expect(text.detail.length).toBeGreaterThan(0);
  });

  it('covers each variant the rules return', () => {
    const seen = new Set(cases.map(([, , f]) => `${f.id}:${f.variant}`));
    expect([...seen].sort()).toEqual(
      [
        'dataloader:none', 'dataloader:slow',
        'dynamic-shape:dynamic', 'dynamic-shape:not-applicable', 'dynamic-shape:ok'
      ].sort()
    );
  });

  it('tells the user what to expect after each variant with remedies', () => {
    for (const [, describe, finding] of cases) {
      if (finding.remedies.length > 0) {
        expect(describe(finding, trans).after).toBeTruthy();
      }
    }
  });

  it('counts the dynamic operators and the compiles they cost', () => {
    const text = dynamicShapeText(dynamicShape(publicModelWithSiblings(TRACES.ascendLevel1)), trans);
    expect(text.title).toContain('187');
    expect(text.detail).toContain('19 times');
    expect(text.detail).toContain('jit_compile=False');
  });

  it('names the profiler level when OP State is missing', () => {
    const text = dynamicShapeText(dynamicShape(publicModelWithSiblings(TRACES.ascendLevel0)), trans);
    expect(text.detail).toContain('Level0');
  });

  it('asks for worker processes when the loader ran in the training process', () => {
    const text = dataloaderText(dataloader(publicModel(TRACES.resnet50)), trans);
    expect(text.detail).toContain('num_workers=0');
    expect(text.detail).toContain('pin_memory=True');
    expect(text.detail).toContain('persistent_workers=True');
    expect(dataloaderText(dataloader(fetch(MULTI, 25_000)), trans).detail).toContain('prefetch_factor');
  });
});
