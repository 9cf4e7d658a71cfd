/**
 * Where the public traces live, for tests and benchmarks: real files that
 * nobody on this project wrote, copied unmodified with their licences
 * (provenance in `test/fixtures/public-traces/SOURCES.md`).
 */
import * as path from 'node:path';

/** Folder holding the public traces. */
export const PUBLIC_TRACES_DIR = path.resolve(
  __dirname,
  'fixtures',
  'public-traces'
);

/** Absolute path of a public trace, from its path relative to {@link PUBLIC_TRACES_DIR}. */
export function publicTrace(relative: string): string {
  return path.join(PUBLIC_TRACES_DIR, relative);
}
