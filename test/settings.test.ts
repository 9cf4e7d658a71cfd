import { describe, expect, it } from 'vitest';
import { parseSettings } from '../src/settings';
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
      outputDir: 'profiles/today',
      profilerLevel: DEFAULT_SETTINGS.profilerLevel,
      recordShapes: false,
      withStack: DEFAULT_SETTINGS.withStack
    });
  });

  it.each(['/tmp/x', '../outside', '.hidden', 'a/.b', 'C:/x', '', 'a//b'])(
    'refuses the output folder %j, which Jupyter would not serve',
    folder => {
      expect(parseSettings({ outputDir: folder }).outputDir).toBe(DEFAULT_SETTINGS.outputDir);
    }
  );
});
