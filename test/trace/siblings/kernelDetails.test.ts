import { describe, expect, it } from 'vitest';
import { parseKernelDetails } from '../../../src/trace/siblings';
import { outputText, siblingText } from './siblingFiles';

describe('parseKernelDetails', () => {
  it('adds up the Level1 tasks per accelerator core, with TransData, OP State and wait time', () => {
    const summary = parseKernelDetails(outputText('level1', 'kernel_details.csv'));
    expect(summary).toMatchObject({
      tasks: 191,
      totalUs: 114865.613,
      waitUs: 101120.641,
      aiCpu: { count: 0, totalUs: 0 },
      transData: { count: 57, totalUs: 1423.202 },
      opState: { dynamic: 187, static: 0 },
      reduced: false
    });
    expect(summary?.byCore).toEqual([
      { core: 'HCCL', count: 4, totalUs: 105991.876 },
      { core: 'AI_VECTOR_CORE', count: 149, totalUs: 5823.4 },
      { core: 'AI_CORE', count: 23, totalUs: 2805.855 },
      { core: 'MIX_AIV', count: 13, totalUs: 238.962 },
      { core: 'DSA_SQE', count: 2, totalUs: 5.52 }
    ]);
    expect(summary?.byType).toHaveLength(34);
    expect(summary?.byType[0]).toEqual({ type: 'hcom_allReduce_', count: 4, totalUs: 105991.876 });
    expect(summary?.byType).toContainEqual({ type: 'TransData', count: 57, totalUs: 1423.202 });
  });

  it('reads the Level2 file', () => {
    expect(parseKernelDetails(outputText('level2', 'kernel_details.csv'))).toMatchObject({
      tasks: 191,
      waitUs: 107771.05,
      transData: { count: 57, totalUs: 1393.321 },
      opState: { dynamic: 187, static: 0 }
    });
  });

  it('reads Level0 reduced columns, finding TransData tasks by name when Type is N/A', () => {
    const summary = parseKernelDetails(outputText('level0', 'kernel_details.csv'));
    expect(summary).toMatchObject({
      tasks: 191,
      totalUs: 94344.34,
      waitUs: 95191.222,
      transData: { count: 57, totalUs: 1397.579 },
      reduced: true
    });
    expect(summary?.opState).toBeUndefined();
    expect(summary?.byCore).toEqual([
      { core: 'HCCL', count: 4, totalUs: 85516.886 },
      { core: 'N/A', count: 187, totalUs: 8827.454 }
    ]);
  });

  it('reads the newest variant with Device_id as second column', () => {
    const summary = parseKernelDetails(outputText('stLevel2', 'kernel_details.csv'));
    expect(summary).toMatchObject({
      tasks: 2463,
      waitUs: 158582.63,
      transData: { count: 0, totalUs: 0 },
      opState: { dynamic: 2448, static: 0 }
    });
    expect(summary?.byCore.map(c => [c.core, c.count, c.totalUs])).toEqual([
      ['COMMUNICATION', 15, 420174.26],
      ['MIX_AIC', 56, 87847.32],
      ['AI_VECTOR_CORE', 1857, 68795.3],
      ['AI_CORE', 336, 58022.86],
      ['MIX_AIV', 199, 16624.62]
    ]);
  });

  it('counts AI CPU tasks and static operators', () => {
    // Level1 header with two rows written the way torch_npu writes them.
    const [header] = outputText('level1', 'kernel_details.csv').split('\r\n');
    const row = (name: string, type: string, state: string, core: string, dur: string) =>
      `50,4294967295,1,2,${name},${type},${state},${core},1736408883704643.212\t,${dur},1.5,1,0,NO,"""2,3""",FLOAT,ND,"""2,3""",FLOAT,ND,N/A`;
    const text = [
      header,
      row('aclnnCast_CastAiCpu_Cast', 'Cast', 'static', 'AI_CPU', '139.25'),
      row('MatMul1', 'MatMulV2', 'dynamic', 'AI_CORE', '10.5')
    ].join('\r\n');
    expect(parseKernelDetails(text)).toMatchObject({
      tasks: 2,
      waitUs: 3,
      aiCpu: { count: 1, totalUs: 139.25 },
      opState: { dynamic: 1, static: 1 }
    });
  });

  it('returns null for other files instead of throwing', () => {
    expect(parseKernelDetails(outputText('level1', 'op_statistic.csv'))).toBeNull();
    expect(parseKernelDetails(siblingText('level1', 'profiler_metadata.json'))).toBeNull();
    expect(parseKernelDetails('\u0000\u0001binary')).toBeNull();
  });
});
