import { describe, expect, it } from 'vitest';
import { checkSettings, parseSettings } from '../src/settings';
import { DEFAULT_SETTINGS } from '../src/tokens';

describe('parseSettings', () => {
  it('returns the defaults for an empty or missing composite', () => {
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({})).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps valid values and falls back per key for invalid ones', () => {
    const settings = parseSettings({
      outputDir: 'profiles/today',
      profilerLevel: 'Level9',
      recordShapes: false,
      withStack: 'yes'
    });
    expect(settings).toEqual({
      ...DEFAULT_SETTINGS,
      outputDir: 'profiles/today',
      profilerLevel: DEFAULT_SETTINGS.profilerLevel,
      recordShapes: false,
      withStack: DEFAULT_SETTINGS.withStack
    });
  });

  it('defaults to profiling the first run once and keeping ten run folders', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ warmupRuns: 0, recordedRuns: 1, keepProfiles: 10 });
  });

  it('keeps valid run counts, including 0 warm-up runs and 0 (keep all) profiles', () => {
    expect(parseSettings({ warmupRuns: 2, recordedRuns: 5, keepProfiles: 0 })).toEqual({
      ...DEFAULT_SETTINGS,
      warmupRuns: 2,
      recordedRuns: 5,
      keepProfiles: 0
    });
  });

  it.each([
    ['warmupRuns', -1],
    ['warmupRuns', 1.5],
    ['warmupRuns', '2'],
    ['recordedRuns', 0],
    ['recordedRuns', Number.NaN],
    ['recordedRuns', null],
    ['keepProfiles', -3],
    ['keepProfiles', Number.POSITIVE_INFINITY]
  ] as const)('falls back to the default for %s = %j, keeping the other settings', (key, value) => {
    const check = checkSettings({ [key]: value, withStack: true });
    expect(check.settings[key]).toBe(DEFAULT_SETTINGS[key]);
    expect(check.settings.withStack).toBe(true);
    expect(check.invalid).toEqual([key]);
  });

  it('lists no invalid keys for missing values', () => {
    expect(checkSettings({}).invalid).toEqual([]);
  });

  it.each(['/tmp/x', '../outside', '.hidden', 'a/.b', 'C:/x', '', 'a//b'])(
    'refuses the output folder %j, which Jupyter would not serve',
    folder => {
      expect(parseSettings({ outputDir: folder }).outputDir).toBe(DEFAULT_SETTINGS.outputDir);
    }
  );
});
