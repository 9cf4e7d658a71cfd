/**
 * Turns the composite settings of our plugin into typed settings, falling
 * back to the default per key, so one bad value never disables the rest.
 * Pure.
 */
import { PROFILE_COUNT_MINIMUMS } from './kernel/profilingCell';
import { DEFAULT_SETTINGS, type IProfilerSettings } from './tokens';

const LEVELS = ['Level0', 'Level1', 'Level2'] as const;

/**
 * Smallest accepted value of each count setting (the `minimum` of schema/plugin.json): warm-up
 * runs and kept profiles may be 0 (none / keep all), but at least one run must be recorded. The
 * template's own bounds, so a value accepted here is never refused when the cell is built.
 */
export const SETTING_MINIMUMS = PROFILE_COUNT_MINIMUMS;

/** What {@link checkSettings} found: the typed settings and the keys that fell back. */
export interface ISettingsCheck {
  /** The settings, with the default in place of every invalid value. */
  settings: IProfilerSettings;
  /** Keys present in the input whose value was invalid and replaced by the default. */
  invalid: Array<keyof IProfilerSettings>;
}

/**
 * Typed settings from an object of unknown shape, and which present keys were invalid (the
 * options dialog marks those). Missing keys take their default silently.
 */
export function checkSettings(composite: unknown): ISettingsCheck {
  const raw = (composite && typeof composite === 'object' ? composite : {}) as Record<
    string,
    unknown
  >;
  const invalid: Array<keyof IProfilerSettings> = [];
  const pick = <K extends keyof IProfilerSettings>(
    key: K,
    valid: (value: unknown) => boolean
  ): IProfilerSettings[K] => {
    if (valid(raw[key])) {
      return raw[key] as IProfilerSettings[K];
    }
    if (raw[key] !== undefined) {
      invalid.push(key);
    }
    return DEFAULT_SETTINGS[key];
  };
  const isBoolean = (v: unknown) => typeof v === 'boolean';
  const isCount = (key: keyof typeof SETTING_MINIMUMS) => (v: unknown) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= SETTING_MINIMUMS[key];
  const settings: IProfilerSettings = {
    outputDir: pick('outputDir', v => typeof v === 'string' && Private.isSafeFolder(v)),
    profilerLevel: pick('profilerLevel', v => LEVELS.includes(v as any)),
    recordShapes: pick('recordShapes', isBoolean),
    withStack: pick('withStack', isBoolean),
    profileMemory: pick('profileMemory', isBoolean),
    warmupRuns: pick('warmupRuns', isCount('warmupRuns')),
    recordedRuns: pick('recordedRuns', isCount('recordedRuns')),
    keepProfiles: pick('keepProfiles', isCount('keepProfiles'))
  };
  return { settings, invalid };
}

/** Typed settings from the registry's composite object (unknown shape). */
export function parseSettings(composite: unknown): IProfilerSettings {
  return checkSettings(composite).settings;
}

namespace Private {
  /**
   * A relative folder that Jupyter will serve: not absolute, no `..`, and no
   * hidden (dot) component, since the server hides those by default.
   */
  export function isSafeFolder(folder: string): boolean {
    if (folder.trim() === '' || folder.startsWith('/') || /^[A-Za-z]:/.test(folder)) {
      return false;
    }
    return folder
      .split(/[\\/]/)
      .every(part => part !== '..' && !part.startsWith('.') && part !== '');
  }
}
