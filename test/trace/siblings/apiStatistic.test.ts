import { describe, expect, it } from 'vitest';
import { parseApiStatistic } from '../../../src/trace/siblings';
import type { IAscendApiStat } from '../../../src/trace/model';
import { outputText } from './siblingFiles';

const byName = (stats: IAscendApiStat[] | null, name: string) => stats?.find(s => s.name === name);

describe('parseApiStatistic', () => {
  it('reads the Level1 online-compile and sync calls as documented', () => {
    const stats = parseApiStatistic(outputText('level1', 'api_statistic.csv'));
    expect(stats).toHaveLength(57);
    expect(byName(stats, 'aclopCompileAndExecute')).toEqual({
      name: 'aclopCompileAndExecute',
      level: 'acl',
      count: 19,
      totalUs: 14049.23
    });
    expect(byName(stats, 'opCompile')).toMatchObject({ count: 19, totalUs: 372.94 });
    // Longest first: the host waited ~98 ms for the device in 7 calls.
    expect(stats![0]).toEqual({
      name: 'aclrtSynchronizeStreamWithTimeout',
      level: 'acl',
      count: 7,
      totalUs: 97887.24
    });
  });

  it('reads the Level2 runtime layer', () => {
    const stats = parseApiStatistic(outputText('level2', 'api_statistic.csv'));
    expect(stats).toHaveLength(75);
    expect(byName(stats, 'StreamSynchronize')).toEqual({
      name: 'StreamSynchronize',
      level: 'runtime',
      count: 7,
      totalUs: 90660.49
    });
    expect(byName(stats, 'aclopCompileAndExecute')).toMatchObject({ count: 19, totalUs: 14231.86 });
  });

  it("reads the newest variant whose Device_id is 'host'", () => {
    const stats = parseApiStatistic(outputText('stLevel2', 'api_statistic.csv'));
    expect(stats).toHaveLength(91);
    expect(byName(stats, 'aclnnCast')).toEqual({ name: 'aclnnCast', level: 'acl', count: 224, totalUs: 3388.88 });
    expect(stats![0]).toMatchObject({ name: 'aclrtSynchronizeDeviceWithTimeout', count: 8, totalUs: 318142.95 });
    expect(byName(stats, 'aclopCompileAndExecute')).toBeUndefined();
  });

  it('returns null for other files instead of throwing', () => {
    expect(parseApiStatistic(outputText('level1', 'op_statistic.csv'))).toBeNull();
    expect(parseApiStatistic(outputText('level1', 'kernel_details.csv'))).toBeNull();
    expect(parseApiStatistic('not,a,table\n1,2,3\n')).toBeNull();
  });
});
