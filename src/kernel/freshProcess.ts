/**
 * "Profile in a fresh process": measure the settings that need a new process WITHOUT restarting
 * the user's kernel. A cell inserted below the profiling cell writes a script and runs it with the
 * kernel's own interpreter (`sys.executable`) in a child process whose environment is the
 * kernel's plus the settings. The child replays the notebook's code cells above the profiled cell
 * in an IPython shell (so magics work as in the notebook), then runs the normal profiling cell
 * around the profiled code, which writes the same `bundle.json`; the parent shows that bundle with
 * our MIME type, so the renderer shows it like any other profile.
 *
 * Why a child process (shared notes `tuning-rules.md` §4.1, §4.4): environment variables such as
 * TASK_QUEUE_ENABLE are read once, at the first NPU use, and from torch_npu 6.0.RC3
 * `import torch_npu` in an interactive interpreter forces TASK_QUEUE_ENABLE=0. IPython's shell sets
 * `sys.ps1`, one of the signals torch_npu checks, so the child imports torch_npu as a plain script
 * BEFORE it creates the shell; the cells' own `import torch_npu` then reuses the loaded module.
 *
 * Output is kept short because iopub is rate-limited (`jupyterlab-notes.md` §3.5): the cell shows
 * the first lines of the child's output and its tail; all of it goes to a log file in the run
 * folder.
 */

import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { ICodeCellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { ITranslator } from '@jupyterlab/translation';

import { TRANSLATION_DOMAIN } from '../tokens';
import {
  buildProfilingCell,
  PROFILER_MIME_TYPE,
  PROFILING_CELL_MARKER,
  resolveProfileOptions,
  type IProfileOptions
} from './profilingCell';
import { buildRemedyCell, REMEDIES } from './remedies';
import {
  CELL_METADATA_KEY,
  dialogBody,
  isExtensionCell,
  profilerMetadata,
  runCellsInOrder
} from './restartApply';

/** First line of every fresh-process cell (starts like restartApply's FRESH_MARKER_PREFIX). */
export const FRESH_PROCESS_CELL_MARKER =
  '# ascend-profiler: profiling run in a fresh Python process (your kernel is unchanged; you can delete this cell)';

/** Name of the one helper the fresh-process cell defines (and deletes again). */
export const FRESH_PROCESS_HELPER_NAME = '_ascend_profiler_fresh';

/**
 * Environment values for remedies whose code is not a plain `os.environ["K"] = "V"`:
 * - PYTORCH_NPU_ALLOC_CONF: the option to add; the cell keeps the kernel's other options
 *   (any variable ending in `_ALLOC_CONF` is merged option by option, as the remedy does);
 * - CUDA_LAUNCH_BLOCKING: the remedy unsets it; "0" means the same to CUDA (only "1" blocks),
 *   and a child environment can only be given values.
 */
const SPECIAL_ENV: Readonly<Record<string, Record<string, string>>> = {
  'ascend-alloc-expandable': { PYTORCH_NPU_ALLOC_CONF: 'expandable_segments:True' },
  'cuda-launch-blocking-off': { CUDA_LAUNCH_BLOCKING: '0' }
};

const PLAIN_ASSIGNMENT = /^os\.environ\["([A-Za-z_][A-Za-z0-9_]*)"\]\s*=\s*"([^"\\]*)"$/;

/**
 * The environment variables the given remedies set, for the child process. Only remedies that
 * need a restart contribute (runtime settings are applied by a cell instead); unknown ids are
 * ignored.
 *
 * @param remedies - remedy ids, as in {@link REMEDIES}.
 * @returns variable name to value, e.g. `{ TASK_QUEUE_ENABLE: '2' }`.
 */
export function envForRemedies(remedies: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const remedy of Object.values(REMEDIES)) {
    if (!remedies.includes(remedy.id) || remedy.restart === 'none') {
      continue;
    }
    Object.assign(env, SPECIAL_ENV[remedy.id] ?? {});
    for (const line of remedy.code) {
      const match = PLAIN_ASSIGNMENT.exec(line.trim());
      if (match) {
        env[match[1]] = match[2];
      }
    }
  }
  return env;
}

/** A Python string literal (JSON string syntax, plus the line separators IPython splits on). */
function pyString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u0085\u2028\u2029]/g,
    ch => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')
  );
}

/**
 * The script the child process runs (written to disk as `fresh_process.py`, beside `job.json`).
 * Free of backslashes so this template literal is the Python source verbatim.
 */
const CHILD_SOURCE = `"""ascend-profiler: replay notebook cells in a new Python process, then profile one cell.

Written and started by a fresh-process cell of the notebook; job.json beside it holds the cells.
"""
import importlib.util, json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "job.json"), encoding="utf-8") as f:
    job = json.load(f)
result = {"setup_failed": None, "bundle": None}


def save():
    with open(os.path.join(here, "result.json"), "w", encoding="utf-8") as f:
        json.dump(result, f)


# torch_npu >= 6.0.RC3 forces TASK_QUEUE_ENABLE=0 when imported in an interactive interpreter
# (sys.ps1, __IPYTHON__, ipykernel), and IPython's shell sets sys.ps1: import it now, as a plain
# script, before the shell exists. The cells' own "import torch_npu" then reuses this module.
if importlib.util.find_spec("torch_npu") is not None:
    try:
        import torch_npu
    except Exception as exc:
        print("ascend-profiler: import torch_npu failed in the new process: %s" % exc, flush=True)
for name, value in job["env"].items():
    if os.environ.get(name) != value:
        print("ascend-profiler: %s was %r after import torch_npu; set to %r again" % (name, os.environ.get(name), value), flush=True)
        os.environ[name] = value

from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

config = Config()
# No history database: the kernel's IPython history stays as it is.
config.HistoryManager.enabled = False
shell = InteractiveShell.instance(config=config)
publish = shell.display_pub.publish


def capture(data=None, *args, **kwargs):
    # The profiling cell displays its bundle; keep it for the parent, print only its summary.
    if isinstance(data, dict) and job["mime"] in data:
        result["bundle"] = data[job["mime"]]
        print(data.get("text/plain", ""), flush=True)
    else:
        publish(data, *args, **kwargs)


shell.display_pub.publish = capture
total = len(job["setup_cells"])
for number, code in enumerate(job["setup_cells"], 1):
    print("ascend-profiler: running cell %d of %d from above" % (number, total), flush=True)
    outcome = shell.run_cell(code, store_history=False)
    if not outcome.success:
        error = outcome.error_in_exec or outcome.error_before_exec
        result["setup_failed"] = {"number": number, "total": total,
                                  "error": "%s: %s" % (type(error).__name__, error)}
        save()
        sys.exit(1)
print("ascend-profiler: profiling the cell", flush=True)
shell.run_cell(job["profiling_cell"], store_history=False)
save()
`;

/**
 * The helper of the fresh-process cell, run in the user's kernel. Free of backslashes so this
 * template literal is the Python source verbatim.
 */
const PARENT_SOURCE = `def ${FRESH_PROCESS_HELPER_NAME}(setup_cells, profiling_cell, env, output_dir, child_script):
    """Replay the cells above and profile the cell in a new Python process with env; show its profile here."""
    import collections, datetime, json, os, secrets, shutil, subprocess, sys
    from IPython.display import display

    mime = "${PROFILER_MIME_TYPE}"
    cwd = os.getcwd()
    started = datetime.datetime.now().astimezone()
    job_dir = os.path.join(cwd, output_dir, "fresh_" + started.strftime("%Y%m%d_%H%M%S") + "_" + secrets.token_hex(3))
    os.makedirs(job_dir)

    def rel(path):
        return os.path.relpath(path, cwd).replace(os.sep, "/")

    # The child's environment: this kernel's, plus the settings. Option lists (*_ALLOC_CONF) keep
    # the kernel's other options. Nothing here changes this kernel's os.environ.
    child_env = dict(os.environ)
    for name, value in env.items():
        if name.endswith("_ALLOC_CONF") and child_env.get(name):
            keys = {o.split(":")[0].strip() for o in value.split(",")}
            kept = [o for o in child_env[name].split(",") if o.strip() and o.split(":")[0].strip() not in keys]
            value = ",".join(kept + [value])
        child_env[name] = value
    wanted = {name: child_env[name] for name in env}
    # The inline matplotlib backend needs a kernel, which the child does not have.
    if child_env.get("MPLBACKEND", "").startswith("module://matplotlib_inline"):
        child_env["MPLBACKEND"] = "Agg"
    child_env["PYTHONUNBUFFERED"] = "1"

    script = os.path.join(job_dir, "fresh_process.py")
    with open(script, "w", encoding="utf-8") as f:
        f.write(child_script)
    with open(os.path.join(job_dir, "job.json"), "w", encoding="utf-8") as f:
        json.dump({"setup_cells": setup_cells, "profiling_cell": profiling_cell, "env": wanted, "mime": mime}, f, indent=1)
    log_path = os.path.join(job_dir, "child_output.log")

    settings = ", ".join("%s=%s" % item for item in wanted.items()) or "no extra settings"
    print("ascend-profiler: new Python process with %s: it runs %d cell(s) from above, then profiles the cell. "
          "This kernel and its variables are not changed." % (settings, len(setup_cells)), flush=True)
    shown = hidden = shown_chars = 0
    tail = collections.deque(maxlen=20)
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, script], env=child_env, cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                encoding="utf-8", errors="replace")
        try:
            for line in proc.stdout:
                log.write(line)
                line = line.rstrip()[:400]
                tail.append(line)
                # iopub is rate-limited: show the start live, then only the tail at the end.
                if shown < 40 and shown_chars < 8000:
                    print(line, flush=True)
                    shown += 1
                    shown_chars += len(line)
                else:
                    hidden += 1
            returncode = proc.wait()
        except BaseException:
            # Interrupting this cell stops the child too.
            proc.kill()
            proc.wait()
            raise
    if hidden:
        print("ascend-profiler: ... %d more line(s) of the new process's output; the last ones:" % hidden)
        for line in list(tail)[-min(hidden, len(tail)):]:
            print(line)

    try:
        with open(os.path.join(job_dir, "result.json"), encoding="utf-8") as f:
            result = json.load(f)
    except (OSError, ValueError):
        result = {}
    shown_bundle = result.get("bundle") or {}
    run_dir = shown_bundle.get("run_dir")
    failed = result.get("setup_failed")
    if not run_dir:
        if failed:
            raise RuntimeError(
                "The new process stopped at cell %d of the %d cell(s) it replayed from above (%s), so the cell "
                "was not profiled. Its output is above and in %s." % (failed["number"], failed["total"], failed["error"], rel(log_path)))
        raise RuntimeError("The new process exited (code %s) without a profile. Its output is above and in %s."
                           % (returncode, rel(log_path)))
    target = os.path.join(cwd, run_dir)
    try:
        with open(os.path.join(target, "bundle.json"), encoding="utf-8") as f:
            bundle = json.load(f)
    except (OSError, ValueError):
        bundle = shown_bundle
    # Keep the script, its input and the child's output beside the trace they produced.
    for name in os.listdir(job_dir):
        shutil.move(os.path.join(job_dir, name), os.path.join(target, name))
    os.rmdir(job_dir)
    bundle["fresh_process"] = True
    bundle["fresh_process_env"] = wanted
    bundle["fresh_process_log"] = rel(os.path.join(target, "child_output.log"))
    try:
        with open(os.path.join(target, "bundle.json"), "w", encoding="utf-8") as f:
            json.dump(bundle, f, indent=1)
    except OSError as exc:
        print("ascend-profiler: could not update bundle.json:", exc, file=sys.stderr)
    if bundle.get("status") == "ok":
        summary = "ascend-profiler: %s profile of the cell in a new process with %s, %.3f s, trace %s" % (
            bundle.get("backend"), settings, bundle.get("wall_time_s") or 0.0, bundle.get("trace_path"))
    else:
        summary = "ascend-profiler: no trace from the new process (%s)" % bundle.get("error")
    display({mime: bundle, "text/plain": summary}, raw=True)
    if bundle.get("cell_error"):
        print("ascend-profiler: in the new process the cell raised %s (this kernel is not affected; "
              "the traceback is in %s)." % (bundle["cell_error"], bundle["fresh_process_log"]), file=sys.stderr)`;

/**
 * Builds the Python source of the fresh-process cell.
 *
 * The cell reads as: {@link FRESH_PROCESS_CELL_MARKER} and a plain explanation, the helper
 * `_ascend_profiler_fresh`, then one call with the data as Python literals, and `del` of the
 * helper. Run in the kernel, it writes `fresh_process.py` and `job.json` into a new folder under
 * `options.outputDir`, runs the script with `sys.executable` and environment `os.environ | env`
 * (option lists ending in `_ALLOC_CONF` merged), shows the first lines and the tail of the child's
 * output, then displays the child's `bundle.json` with {@link PROFILER_MIME_TYPE}, adding
 * `fresh_process: true`, `fresh_process_env` (the values set) and `fresh_process_log`; the job
 * files are moved into the child's run folder. It raises RuntimeError when a replayed cell fails
 * or no profile was written; an exception in the profiled code is shown in the bundle and on
 * stderr without failing the cell. The kernel's `os.environ` is never changed.
 *
 * @param setupCells - sources of the notebook's code cells to replay first, in order.
 * @param profiledCode - source of the cell to profile.
 * @param env - environment variables for the child (see {@link envForRemedies}).
 * @param options - profiler options, as for the normal profiling cell.
 * @returns Python source for a new code cell.
 * @throws Error when the options are invalid (see resolveProfileOptions).
 */
export function buildFreshProcessCell(
  setupCells: string[],
  profiledCode: string,
  env: Record<string, string>,
  options: Partial<IProfileOptions>
): string {
  const o = resolveProfileOptions(options);
  const envLiteral =
    '{' +
    Object.entries(env)
      .map(([k, v]) => `${pyString(k)}: ${pyString(v)}`)
      .join(', ') +
    '}';
  const setupLiteral =
    setupCells.length === 0
      ? '[]'
      : '[\n' + setupCells.map(code => `        ${pyString(code)},`).join('\n') + '\n    ]';
  return [
    FRESH_PROCESS_CELL_MARKER,
    '# Settings such as TASK_QUEUE_ENABLE are read once per process, and `import torch_npu` in a',
    '# notebook kernel resets TASK_QUEUE_ENABLE to 0. So this cell starts a NEW Python process with',
    '# the settings, replays the code cells above the profiled cell there, profiles that cell and',
    `# shows the profile here. Its files go to ${o.outputDir}/ beside the notebook.`,
    '',
    PARENT_SOURCE,
    '',
    '',
    'try:',
    `    ${FRESH_PROCESS_HELPER_NAME}(`,
    `        setup_cells=${setupLiteral},`,
    `        profiling_cell=${pyString(buildProfilingCell(profiledCode, o))},`,
    `        env=${envLiteral},`,
    `        output_dir=${pyString(o.outputDir)},`,
    `        child_script=${pyString(CHILD_SOURCE)},`,
    '    )',
    'finally:',
    `    del ${FRESH_PROCESS_HELPER_NAME}`,
    ''
  ].join('\n');
}

/** One notebook cell as {@link selectSetupCells} sees it. */
export interface ICellSummary {
  /** `code`, `markdown` or `raw`. */
  type: string;
  /** The cell's source. */
  source: string;
  /** The cell's `ascend_profiler` metadata, if any. */
  metadata?: Record<string, unknown>;
}

/**
 * The sources the child replays before profiling: the code cells above `profiledIndex`, without
 * empty cells and without cells this extension inserted (profiling, remedy, settings and
 * fresh-process cells: profiling again would be slow, and the settings are the child's
 * environment).
 *
 * @param cells - the notebook's cells, in order.
 * @param profiledIndex - index of the profiled cell (not included: it is profiled).
 */
export function selectSetupCells(cells: ICellSummary[], profiledIndex: number): string[] {
  return cells
    .slice(0, Math.max(0, profiledIndex))
    .filter(
      c => c.type === 'code' && c.source.trim() !== '' && !isExtensionCell(c.source, c.metadata)
    )
    .map(c => c.source);
}

/**
 * Inserts a fresh-process cell below the profiling cell of the profiled cell (replacing one
 * inserted there earlier for the same cell, recognised by metadata
 * `ascend_profiler.fresh_process = true`) and runs it, after the user confirms in a dialog that
 * explains what happens. Settings that act at once (`restart: 'none'`) among `remedies` are applied
 * in the child by a remedy cell after the replayed cells.
 *
 * @param panel - the notebook.
 * @param profiledCellIndex - index of the profiled (user's) cell.
 * @param remedies - remedy ids to apply in the new process.
 * @param settings - profiler options (the extension's settings).
 * @param translator - the application translator.
 * @returns true when the cell ran without error; false when cancelled, when there is nothing to
 *   profile, or when the cell failed (its output says why).
 */
export async function profileInFreshProcess(
  panel: NotebookPanel,
  profiledCellIndex: number,
  remedies: string[],
  settings: Partial<IProfileOptions>,
  translator: ITranslator
): Promise<boolean> {
  const trans = translator.load(TRANSLATION_DOMAIN);
  const notebook = panel.content;
  const model = notebook.model;
  const profiled = notebook.widgets[profiledCellIndex];
  if (!model || panel.isDisposed || !profiled || profiled.model.type !== 'code') {
    return false;
  }
  const profiledCode = profiled.model.sharedModel.getSource();
  if (profiledCode.trim() === '' || isExtensionCell(profiledCode, profilerMetadata(profiled))) {
    return false;
  }
  const setup = selectSetupCells(
    notebook.widgets.map(c => ({
      type: c.model.type,
      source: c.model.sharedModel.getSource(),
      metadata: profilerMetadata(c)
    })),
    profiledCellIndex
  );
  const runtimeIds = remedies.filter(id => REMEDIES[id]?.restart === 'none');
  const runtimeCell = runtimeIds.length > 0 ? buildRemedyCell(runtimeIds) : null;
  if (runtimeCell !== null) {
    setup.push(runtimeCell);
  }
  const env = envForRemedies(remedies);
  const source = buildFreshProcessCell(setup, profiledCode, env, settings);

  const settingsText =
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ') || trans.__('no environment settings');
  const answer = await showDialog({
    title: trans.__('Profile in a fresh process?'),
    body: dialogBody(
      [
        trans.__('The settings to measure:'),
        trans.__(
          'A new cell below the profile starts a separate Python process with %1. It runs the %2 code cell(s) above again there, then profiles the cell, and shows that profile in the new cell.',
          settingsText,
          String(setup.length - (runtimeCell === null ? 0 : 1))
        ),
        trans.__(
          'Your kernel is not restarted and its variables are not changed, so the settings do not apply to it. This takes about as long as running those cells again.'
        )
      ],
      remedies.filter(id => REMEDIES[id] !== undefined)
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Profile in New Process') })
    ]
  });
  if (!answer.button.accept || panel.isDisposed || !notebook.model) {
    return false;
  }

  const profiledId = profiled.model.id;
  let index = notebook.widgets.findIndex(c => c.model.id === profiledId);
  if (index < 0) {
    return false;
  }
  const below = notebook.widgets[index + 1];
  if (below && below.model.sharedModel.getSource().startsWith(PROFILING_CELL_MARKER)) {
    index += 1;
  }
  const next = notebook.widgets[index + 1];
  const nextMeta = next ? profilerMetadata(next) : undefined;
  const metadata = { fresh_process: true, profiled_cell: profiledId, remedies: [...remedies] };
  if (
    next &&
    next.model.type === 'code' &&
    nextMeta?.fresh_process === true &&
    nextMeta.profiled_cell === profiledId
  ) {
    model.sharedModel.transact(() => {
      next.model.sharedModel.setSource(source);
      next.model.setMetadata(CELL_METADATA_KEY, metadata);
      (next.model as ICodeCellModel).outputs.clear();
    });
  } else {
    model.sharedModel.insertCell(index + 1, {
      cell_type: 'code',
      source,
      metadata: { [CELL_METADATA_KEY]: metadata }
    });
  }
  const cell = notebook.widgets[index + 1];
  notebook.deselectAll();
  notebook.activeCellIndex = index + 1;
  return (await runCellsInOrder(panel, [cell], translator)) < 0;
}
