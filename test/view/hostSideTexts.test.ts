import type { TranslationBundle } from '@jupyterlab/translation';
import { describe, expect, it } from 'vitest';
import type { IFinding } from '../../src/analysis/finding';
import { gcPause } from '../../src/analysis/rules/gcPause';
import { graphMode } from '../../src/analysis/rules/graphMode';
import { hostBound } from '../../src/analysis/rules/hostBound';
import { launchBlocking } from '../../src/analysis/rules/launchBlocking';
import { pageableMemcpy } from '../../src/analysis/rules/pageableMemcpy';
import { gcPauseText } from '../../src/view/findings/gcPauseText';
import { graphModeText } from '../../src/view/findings/graphModeText';
import { hostBoundText } from '../../src/view/findings/hostBoundText';
import { launchBlockingText } from '../../src/view/findings/launchBlockingText';
import { pageableMemcpyText } from '../../src/view/findings/pageableMemcpyText';
import { publicModel, TRACES } from '../analysis/publicModel';

/** A bundle that fills %n placeholders, as the real one does. */
const trans = {
  __: (text: string, ...args: unknown[]) =>
    text.replace(/%(\d+)/g, (_, n) => String(args[Number(n) - 1]))
} as unknown as TranslationBundle;

const cases: [string, (f: IFinding, t: TranslationBundle) => { title: string; detail: string }, IFinding][] = [
  ['host-bound', hostBoundText, hostBound(publicModel(TRACES.dlrm))],
  ['host-bound', hostBoundText, hostBound(publicModel(TRACES.ascendLevel1))],
  ['host-bound ok', hostBoundText, hostBound(publicModel(TRACES.nsResolution))],
  ['host-bound n/a', hostBoundText, hostBound(publicModel(TRACES.cpuOnly))],
  ['graph-mode', graphModeText, graphMode(publicModel(TRACES.dlrm))],
  ['graph-mode ok ascend', graphModeText, graphMode(publicModel(TRACES.ascendLevel1))],
  ['graph-mode n/a', graphModeText, graphMode(publicModel(TRACES.cpuOnly))],
  ['launch-blocking ok', launchBlockingText, launchBlocking(publicModel(TRACES.dlrm))],
  ['launch-blocking n/a', launchBlockingText, launchBlocking(publicModel(TRACES.cpuOnly))],
  ['pageable', pageableMemcpyText, pageableMemcpy(publicModel(TRACES.resnet50))],
  ['pageable none', pageableMemcpyText, pageableMemcpy(publicModel(TRACES.dlrm))],
  ['pageable n/a', pageableMemcpyText, pageableMemcpy(publicModel(TRACES.cpuOnly))],
  ['gc none', gcPauseText, gcPause(publicModel(TRACES.dlrm))],
  ['gc n/a', gcPauseText, gcPause(publicModel(TRACES.cpuOnly))]
];

describe('host-side finding texts', () => {
  it.each(cases)('fills every placeholder of %s', (_, describe, finding) => {
    const text = describe(finding, trans);
    expect(text.title.length).toBeGreaterThan(0);
    expect(`${text.title} ${text.detail}`).not.toMatch(/%\d|undefined|NaN/);
  });

  it('gives the DLRM host-bound numbers the user can check in the trace', () => {
    const text = hostBoundText(hostBound(publicModel(TRACES.dlrm)), trans);
    expect(text.title).toContain('6.71 ms');
    expect(text.detail).toContain('222 of 237 kernels');
  });
});
