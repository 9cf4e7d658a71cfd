/**
 * Shared helpers of restartApply.test.ts and freshProcess.test.ts: the Python to run (as in
 * profilingCell.test.ts: ASCEND_PROFILER_PYTHON, else the repo's `.venv/bin/python`, else
 * `python3`), a driver for real python3 kernels (runInKernel.py), and a torch_npu double that
 * springs THE TRAP like the real one.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DRIVER = path.join(__dirname, 'runInKernel.py');
/** The replaying torch_npu double (put its folder on PYTHONPATH). */
export const REPLAY_DOUBLE = path.join(REPO_ROOT, 'test', 'doubles', 'replay_torch_npu');

/** The Python the tests run. */
export function pythonExe(): string {
  const fromEnv = process.env.ASCEND_PROFILER_PYTHON;
  if (fromEnv) {
    return fromEnv;
  }
  const venv = path.join(REPO_ROOT, '.venv', 'bin', 'python');
  return fs.existsSync(venv) ? venv : 'python3';
}

/** Parses Python source with `ast.parse`; throws (with Python's message) if it does not compile. */
export function expectValidPython(source: string): void {
  execFileSync(pythonExe(), ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
    input: source,
    stdio: ['pipe', 'pipe', 'pipe']
  });
}

/** One IOPub output, as runInKernel.py prints it (Jupyter messaging spec field names). */
export interface IOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  name?: string;
  text?: string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

/** What one cell produced. */
export interface ICellResult {
  status: 'ok' | 'error' | 'timeout';
  outputs: IOutput[];
}

/** Runs cells in order in a fresh python3 kernel whose working directory is `cwd`. */
export async function runInKernel(
  cells: string[],
  cwd: string,
  pythonpath: string[] = []
): Promise<ICellResult[]> {
  const args = [DRIVER, '--cwd', cwd, '--timeout', '100'];
  for (const p of pythonpath) {
    args.push('--pythonpath', p);
  }
  const child = promisify(execFile)(pythonExe(), args, {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 200_000
  });
  child.child.stdin!.end(JSON.stringify(cells));
  const { stdout } = await child;
  return JSON.parse(stdout) as ICellResult[];
}

/** All text a cell wrote on one stream. */
export function streamOf(result: ICellResult, name: 'stdout' | 'stderr'): string {
  return result.outputs
    .filter(o => o.output_type === 'stream' && o.name === name)
    .map(o => o.text)
    .join('');
}

/**
 * Writes, under `dir`, a `torch_npu` package that behaves like torch_npu >= 6.0.RC3 on import in
 * an interactive interpreter (tuning-rules.md §4.1: `sys.ps1`, `__IPYTHON__`, ipykernel loaded ->
 * TASK_QUEUE_ENABLE forced to "0") and otherwise is the replay double. Returns the folder to put
 * on PYTHONPATH.
 */
export function writeTrapDouble(dir: string): string {
  const pkg = path.join(dir, 'torch_npu');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(
    path.join(pkg, '__init__.py'),
    [
      '"""TEST DOUBLE: the replay double plus the interactive TASK_QUEUE_ENABLE override."""',
      'import builtins, os, sys',
      'if hasattr(sys, "ps1") or hasattr(builtins, "__IPYTHON__") or "ipykernel" in sys.modules:',
      '    os.environ["TASK_QUEUE_ENABLE"] = "0"',
      `__path__.append(${JSON.stringify(path.join(REPLAY_DOUBLE, 'torch_npu'))})`,
      'from . import npu, profiler',
      'REPLAY_TEST_DOUBLE = True',
      '__version__ = "0.0.0+replay.test.double"',
      ''
    ].join('\n')
  );
  return dir;
}
