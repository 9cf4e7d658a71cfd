import { execFileSync } from 'node:child_process';

/** Compile the WebAssembly event reader before any test imports it (skipped when up to date). */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/buildWasm.js'], { stdio: 'inherit' });
}
