/**
 * Turns the composite settings of our plugin into typed settings, falling
 * back to the default per key, so one bad value never disables the rest.
 * Pure.
 */
import { DEFAULT_SETTINGS, type IProfilerSettings } from './tokens';

const LEVELS = ['Level0', 'Level1', 'Level2'] as const;

/** Typed settings from the registry's composite object (unknown shape). */
export function parseSettings(composite: unknown): IProfilerSettings {
  const raw = (composite && typeof composite === 'object' ? composite : {}) as Record<
    string,
    unknown
  >;
  const outputDir =
    typeof raw.outputDir === 'string' && Private.isSafeFolder(raw.outputDir)
      ? raw.outputDir
      : DEFAULT_SETTINGS.outputDir;
  const profilerLevel = LEVELS.includes(raw.profilerLevel as any)
    ? (raw.profilerLevel as IProfilerSettings['profilerLevel'])
    : DEFAULT_SETTINGS.profilerLevel;
  return {
    outputDir,
    profilerLevel,
    recordShapes:
      typeof raw.recordShapes === 'boolean' ? raw.recordShapes : DEFAULT_SETTINGS.recordShapes,
    withStack: typeof raw.withStack === 'boolean' ? raw.withStack : DEFAULT_SETTINGS.withStack
  };
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
