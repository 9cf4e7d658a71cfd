/**
 * The profiling template: the Python source of the cell that "Profile this cell" inserts below
 * the user's cell. Pure string building; nothing here talks to a kernel.
 *
 * The generated cell runs the user's code `warmupRuns` times unrecorded, then `recordedRuns` times
 * under a profiler picked at run time (torch_npu on an Ascend NPU, else torch.profiler with CUDA,
 * else torch.profiler on the CPU), one profiler step per recorded run, writes the trace to a fresh
 * run folder beside the notebook (the kernel's working directory), deletes the oldest run folders
 * beyond `keepProfiles`, and ends by displaying {@link PROFILER_MIME_TYPE}, which the frontend
 * renders as timeline and checklist.
 *
 * Profiler APIs relied on (see `docs/trace-formats.md` §1a/§1b of the shared notes):
 * - torch_npu: `torch_npu.profiler.profile`, `_ExperimentalConfig`, `schedule`,
 *   `tensorboard_trace_handler` (Ascend/pytorch
 *   `docs/en/developer_notes/ascend_pytorch_profiler_user_guide.md`), which writes
 *   `<dir>/<worker>_<timestamp>_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json`.
 * - torch: `torch.profiler.profile` / `schedule` / `tensorboard_trace_handler`
 *   (https://pytorch.org/docs/stable/profiler.html), which writes
 *   `<dir>/<worker>.<epoch_ms>.pt.trace.json`.
 */

/** Profiler settings the template accepts. */
export interface IProfileOptions {
  /**
   * Folder, relative to the kernel's working directory (the notebook's folder), under which each
   * run gets its own `run_<YYYYmmdd_HHMMSS>_<6 hex>` folder. Must not start with a dot: Jupyter's
   * Contents API hides dot-folders, so the frontend could not fetch the trace.
   */
  outputDir: string;
  /**
   * torch_npu `profiler_level`. Level1 by default: Level0 has no CANN API layer, so host-side
   * synchronisation calls (`aclrtSynchronizeStream*`) are invisible. Ignored on CUDA/CPU, but
   * recorded in the bundle as asked.
   */
  profilerLevel: 'Level0' | 'Level1' | 'Level2';
  /** Record input shapes of operators (`record_shapes`). */
  recordShapes: boolean;
  /** Record Python call stacks (`with_stack`); off by default because it slows the run. */
  withStack: boolean;
  /**
   * Record memory allocations (`profile_memory`): the trace then holds the memory in use per
   * device over the run. Off by default because it slows the run.
   */
  profileMemory: boolean;
  /**
   * Runs of the code before the profiler starts, not recorded, their output captured and
   * discarded. 0 (default) profiles the first run, first-run compiles included (tuning-rules.md
   * §6 #9); 1 or more profiles the steady state.
   */
  warmupRuns: number;
  /**
   * Recorded runs, at least 1. Each is one profiler step, so the trace holds `ProfilerStep#0` to
   * `ProfilerStep#<recordedRuns - 1>`.
   */
  recordedRuns: number;
  /**
   * Run folders (`run_<YYYYmmdd_HHMMSS>_<6 hex>`, the new one included) kept under `outputDir`;
   * older ones are deleted after the new one is written. 0 keeps all.
   */
  keepProfiles: number;
}

/** Smallest accepted value of each count option; settings.ts applies the same bounds. */
export const PROFILE_COUNT_MINIMUMS: Readonly<
  Record<'warmupRuns' | 'recordedRuns' | 'keepProfiles', number>
> = Object.freeze({
  warmupRuns: 0,
  recordedRuns: 1,
  keepProfiles: 0
});

/** The defaults used for any option the caller leaves out. */
export const DEFAULT_PROFILE_OPTIONS: Readonly<IProfileOptions> = Object.freeze({
  outputDir: 'ascend_profiler_runs',
  profilerLevel: 'Level1',
  recordShapes: true,
  withStack: false,
  profileMemory: false,
  warmupRuns: 0,
  recordedRuns: 1,
  keepProfiles: 10
});

/**
 * MIME type of the bundle the profiling cell displays (and writes as `bundle.json`); the same
 * string as `MIME_TYPE` in `src/tokens.ts`, repeated because this module imports types only.
 * The bundle's shape is `IProfileBundle` in `src/tokens.ts`.
 */
export const PROFILER_MIME_TYPE = 'application/vnd.ascend-profiler.v1+json';

/**
 * First line of every profiling cell, so the frontend can recognise such cells (for instance to
 * not profile a profiling cell, or to replace an older one).
 */
export const PROFILING_CELL_MARKER =
  '# ascend-profiler: profiling run of the cell above (that cell is unchanged; you can delete this one)';

/** Name of the one helper the profiling cell leaves in the user's namespace. */
export const PROFILING_HELPER_NAME = '_ascend_profiler_run';

/** Environment variables recorded in the bundle's `env` (tuning-rules.md §3.2, §4). */
export const RECORDED_ENV_VARS: readonly string[] = [
  'TASK_QUEUE_ENABLE',
  'CPU_AFFINITY_CONF',
  'ASCEND_LAUNCH_BLOCKING',
  'PYTORCH_NPU_ALLOC_CONF',
  'ACLNN_CACHE_LIMIT',
  'HOST_CACHE_CAPACITY',
  'ASCEND_GLOBAL_LOG_LEVEL',
  'CUDA_LAUNCH_BLOCKING'
];

const PROFILER_LEVELS: readonly string[] = ['Level0', 'Level1', 'Level2'];

/**
 * Turns a string into a Python string literal. JSON string syntax is a subset of Python's, but
 * JSON leaves U+0085, U+2028 and U+2029 unescaped; IPython splits cells with `str.splitlines()`,
 * which breaks lines at those, so they are escaped too.
 */
function pyString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u0085\u2028\u2029]/g,
    ch => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')
  );
}

function pyBool(value: boolean): string {
  return value ? 'True' : 'False';
}

/**
 * Merges options with {@link DEFAULT_PROFILE_OPTIONS} and checks them.
 *
 * @throws Error when `profilerLevel` is not Level0/1/2, when `outputDir` is empty, when it
 *   contains a dot-folder (Jupyter's Contents API hides those, so the trace could not be fetched),
 *   or when a count is not an integer at least its {@link PROFILE_COUNT_MINIMUMS} value.
 */
export function resolveProfileOptions(options: Partial<IProfileOptions> = {}): IProfileOptions {
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined)
  ) as Partial<IProfileOptions>;
  const resolved: IProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, ...defined };
  if (!PROFILER_LEVELS.includes(resolved.profilerLevel)) {
    throw new Error(
      `profilerLevel must be one of ${PROFILER_LEVELS.join(', ')}, not ${String(resolved.profilerLevel)}`
    );
  }
  const dir = resolved.outputDir.trim();
  if (!dir) {
    throw new Error('outputDir must not be empty');
  }
  if (dir.split(/[\\/]/).some(part => part.startsWith('.') && part !== '.' && part !== '..')) {
    throw new Error(
      `outputDir must not contain a hidden (dot) folder, which Jupyter's Contents API does not list: ${dir}`
    );
  }
  for (const [key, minimum] of Object.entries(PROFILE_COUNT_MINIMUMS)) {
    const value = resolved[key as keyof typeof PROFILE_COUNT_MINIMUMS];
    if (!Number.isSafeInteger(value) || value < minimum) {
      throw new Error(`${key} must be an integer of at least ${minimum}, not ${String(value)}`);
    }
  }
  return { ...resolved, outputDir: dir };
}

/**
 * The helper function of the profiling cell. Everything it needs is imported inside it, so the
 * only name the cell adds to the user's namespace is the helper itself.
 *
 * Kept free of backslashes so the TypeScript template literal is the Python source verbatim.
 */
const HELPER_SOURCE = `def ${PROFILING_HELPER_NAME}(code, output_dir, profiler_level, record_shapes, with_stack,
                         warmup_runs=0, recorded_runs=1, keep_profiles=10, profile_memory=False):
    """Run code like a notebook cell: warm-up runs unrecorded, then recorded runs under the profiler
    (one profiler step each); display the result bundle and delete run folders beyond keep_profiles."""
    import ast, datetime, glob, importlib.util, io, json, linecache, os, platform, re, secrets, shutil, sys, time, warnings

    mime = "${PROFILER_MIME_TYPE}"
    started = datetime.datetime.now().astimezone()
    # Paths in the bundle are relative to the directory the kernel was in when the run started
    # (the notebook's folder), so the frontend can fetch them through the Contents API even if
    # the user's code changes directory.
    cwd = os.getcwd()
    run_name = "run_" + started.strftime("%Y%m%d_%H%M%S") + "_" + secrets.token_hex(3)
    # Only folders named like ours are ever deleted by keep_profiles; anything else is the user's.
    run_name_pattern = re.compile("run_[0-9]{8}_[0-9]{6}_[0-9a-f]{6}")
    runs_dir = os.path.join(cwd, output_dir)
    run_dir = os.path.join(runs_dir, run_name)

    def rel(path):
        return os.path.relpath(path, cwd).replace(os.sep, "/")

    env_names = ${pyList(RECORDED_ENV_VARS)}
    bundle = {
        "version": 1, "status": "error", "error": None, "backend": "cpu",
        "trace_path": None, "run_dir": rel(run_dir), "trace_bytes": None, "siblings": [],
        # The same files as absolute paths as this kernel sees them, for reading them back through
        # the kernel when the Jupyter server cannot serve them (remote kernel, folder outside its root).
        "trace_abs_path": None, "siblings_abs": [],
        "device": platform.processor() or platform.machine() or "CPU",
        "versions": {"python": platform.python_version()},
        "env": {name: os.environ.get(name) for name in env_names},
        # wall_time_s: one recorded run (the mean); wall_times_s: each recorded run.
        "wall_time_s": 0.0, "wall_times_s": [], "cell_error": None,
        "started_at": started.isoformat(timespec="seconds"),
        "profiler": {"level": profiler_level, "record_shapes": record_shapes, "with_stack": with_stack,
                     "profile_memory": profile_memory, "warmup_runs": warmup_runs, "recorded_runs": recorded_runs},
    }

    try:
        from IPython import get_ipython
        from IPython.display import display
        from IPython.utils.capture import capture_output
        ip = get_ipython()
    except ImportError:
        ip, display, capture_output = None, None, None
    # The kernel's user namespace, so the code defines its variables exactly as the cell above
    # would; outside IPython (plain python, tests) the __main__ module's namespace.
    user_ns = ip.user_ns if ip is not None else sys.modules["__main__"].__dict__

    def prune_old_runs():
        # keep_profiles counts run folders, the new one included (it is never deleted); 0 keeps all.
        # Names start with the start time (to the second), so they sort oldest first; runs started
        # within the same second are ordered by their folder's modification time. Only real folders
        # (not links) whose whole name matches run_name_pattern are candidates.
        if keep_profiles <= 0:
            return
        try:
            old = [name for name in os.listdir(runs_dir)
                   if name != run_name and run_name_pattern.fullmatch(name)
                   and os.path.isdir(os.path.join(runs_dir, name))
                   and not os.path.islink(os.path.join(runs_dir, name))]
            old.sort(key=lambda name: (name[:19], os.path.getmtime(os.path.join(runs_dir, name))))
        except OSError:
            return
        for name in old[:max(0, len(old) - (keep_profiles - 1))]:
            try:
                shutil.rmtree(os.path.join(runs_dir, name))
            except OSError as exc:
                print("ascend-profiler: could not delete the old run folder %s (%s)" % (name, exc), file=sys.stderr)

    def finish(error=None, cell_exc=None, value=None):
        if error is not None:
            bundle["status"], bundle["error"], bundle["trace_path"], bundle["trace_bytes"] = "error", error, None, None
        if cell_exc is not None:
            bundle["cell_error"] = (type(cell_exc).__name__ + ": " + str(cell_exc)).strip()
        if value is not None:
            # Like %%time: the value of a final expression is shown, not swallowed.
            if display:
                display(value)
            else:
                print(repr(value))
        try:
            os.makedirs(run_dir, exist_ok=True)
            with open(os.path.join(run_dir, "bundle.json"), "w", encoding="utf-8") as f:
                json.dump(bundle, f, indent=1)
        except OSError as exc:
            print("ascend-profiler: could not write bundle.json:", exc, file=sys.stderr)
        # After the new run folder is complete, so a failure above never costs an old profile.
        prune_old_runs()
        if bundle["status"] == "ok":
            runs = len(bundle["wall_times_s"])
            summary = "ascend-profiler: %s profile of the cell above, %.3f s%s, trace %s" % (
                bundle["backend"], bundle["wall_time_s"], " per run (mean of %d)" % runs if runs > 1 else "",
                bundle["trace_path"])
        else:
            summary = "ascend-profiler: no trace (%s)" % bundle["error"]
        if display:
            display({mime: bundle, "text/plain": summary}, raw=True)
        else:
            print(summary)
        if cell_exc is not None:
            # The cell shows the user's traceback as usual; drop this frame's exec() entry.
            raise cell_exc.with_traceback(cell_exc.__traceback__.tb_next or cell_exc.__traceback__)

    # IPython semantics: magics and shell escapes are rewritten by transform_cell, then the last
    # statement, if it is an expression, is evaluated separately so its value can be displayed
    # (what IPython's %%time does).
    try:
        source = ip.transform_cell(code) if ip is not None else code
        # Register the source with linecache so tracebacks show the user's lines; the name tells
        # them the error comes from the profiled copy of the cell above.
        filename = "<profiled copy of the cell above, " + run_name + ">"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        tree = ast.parse(source, filename)
        if ip is not None:
            tree = ip.transform_ast(tree)
        tail = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            tail = compile(ast.Expression(tree.body.pop().value), filename, "eval")
        body = compile(tree, filename, "exec")
    except SyntaxError as exc:
        return finish("The cell above does not compile (SyntaxError: %s), so nothing was run or profiled. "
                      "Fix it and profile again." % exc.msg, exc)

    try:
        import torch
    except ImportError as exc:
        return finish("PyTorch is not installed in this kernel (import torch failed: %s), so the cell was not run. "
                      "Install torch (and torch_npu on Ascend) in the kernel's environment, restart the kernel and profile again." % exc)
    bundle["versions"]["torch"] = torch.__version__
    npu = None
    # torch_npu is imported only when installed (a missing module must not cost an ImportError
    # in every run), and used only when it sees a device.
    if importlib.util.find_spec("torch_npu") is not None:
        try:
            import torch_npu
            if torch_npu.npu.is_available():
                npu = torch_npu
                bundle["backend"] = "ascend"
        except Exception as exc:
            print("ascend-profiler: torch_npu is installed but unusable (%s); profiling without it." % exc, file=sys.stderr)
    if npu is None and torch.cuda.is_available():
        bundle["backend"] = "cuda"
    # Read after the imports: in Jupyter, import torch_npu (>= 6.0.RC3) sets TASK_QUEUE_ENABLE=0.
    bundle["env"] = {name: os.environ.get(name) for name in env_names}

    try:
        # schedule(wait=0, warmup=0, active=recorded_runs, repeat=1) (torch.profiler.schedule,
        # https://pytorch.org/docs/stable/profiler.html; torch_npu's is the same): steps 0 to
        # recorded_runs - 2 are RECORD and the last one RECORD_AND_SAVE, so the prof.step() after
        # the last recorded run closes its ProfilerStep#, stops recording and fires on_trace_ready,
        # which writes (and on torch_npu parses) the trace; the earlier steps only close one
        # ProfilerStep# and open the next. Without a schedule no ProfilerStep# slice exists.
        # The schedule's own warmup (tracing on, results dropped) stays 0: our warm-up runs happen
        # before prof.start() instead, so the recorded steps are numbered from ProfilerStep#0.
        # Silence the warning about warmup=0.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*warmup.*")
            if npu is not None:
                # torch_npu Ascend PyTorch Profiler user guide: activities CPU (framework) + NPU
                # (CANN + device); Text export writes ASCEND_PROFILER_OUTPUT/trace_view.json.
                p = npu.profiler
                bundle["device"] = "Ascend NPU " + str(npu.npu.get_device_name())
                bundle["versions"]["torch_npu"] = getattr(npu, "__version__", None)
                cann = getattr(torch.version, "cann", None)
                if cann is None:
                    try:
                        cann = npu.npu.utils.get_cann_version() or None
                    except Exception:
                        pass
                bundle["versions"]["cann"] = cann
                # The runtime switches the checklist advises on, as they stand for this run
                # (torch_npu.npu.is_jit_compile_false, npu.config.allow_internal_format).
                npu_config = {}
                try:
                    npu_config["jit_compile"] = not bool(npu.npu.is_jit_compile_false())
                except Exception:
                    pass
                try:
                    npu_config["allow_internal_format"] = bool(npu.npu.config.allow_internal_format)
                except Exception:
                    pass
                bundle["npu_config"] = npu_config
                activities = [p.ProfilerActivity.CPU, p.ProfilerActivity.NPU]
                extra = {"experimental_config": p._ExperimentalConfig(
                    export_type=[p.ExportType.Text],
                    profiler_level=getattr(p.ProfilerLevel, profiler_level),
                    aic_metrics=p.AiCMetrics.AiCoreNone,
                    data_simplification=True)}
                synchronize = npu.npu.synchronize
                pattern = os.path.join(glob.escape(run_dir), "*_ascend_pt", "ASCEND_PROFILER_OUTPUT", "trace_view.json")
            else:
                p = torch.profiler
                activities = [p.ProfilerActivity.CPU]
                extra = {}
                synchronize = lambda: None
                if bundle["backend"] == "cuda":
                    activities.append(p.ProfilerActivity.CUDA)
                    bundle["device"] = torch.cuda.get_device_name()
                    bundle["versions"]["cuda"] = torch.version.cuda
                    synchronize = torch.cuda.synchronize
                pattern = os.path.join(glob.escape(run_dir), "*.pt.trace.json")
            os.makedirs(run_dir, exist_ok=True)
            prof = p.profile(
                activities=activities,
                schedule=p.schedule(wait=0, warmup=0, active=recorded_runs, repeat=1, skip_first=0),
                on_trace_ready=p.tensorboard_trace_handler(run_dir),
                record_shapes=record_shapes, with_stack=with_stack, profile_memory=profile_memory, **extra)
    except Exception as exc:
        return finish("The %s profiler could not start (%s: %s), so the cell was not run. "
                      "Run the cell above normally, or restart the kernel and profile again."
                      % (bundle["backend"], type(exc).__name__, exc))

    # Warm-up runs, before the profiler starts, so first-run work (operator compilation,
    # torch.compile, caches; tuning-rules.md §6 #9) stays out of the trace. Each ends with a device
    # synchronisation so its queued work cannot spill into the recording. What they print or
    # display (stdout, stderr, display(), the final value) is captured and discarded, so the
    # cell's output appears once per recorded run only; if a warm-up run raises, its captured
    # output is shown and the exception is reported like one in a recorded run.
    for warmup in range(warmup_runs):
        sink = capture_output() if capture_output is not None else None
        out, err = io.StringIO(), io.StringIO()
        saved = sys.stdout, sys.stderr
        captured = None
        try:
            if sink is not None:
                captured = sink.__enter__()
            else:
                sys.stdout, sys.stderr = out, err
            try:
                exec(body, user_ns)
                if tail is not None:
                    eval(tail, user_ns)
                synchronize()
            finally:
                if sink is not None:
                    sink.__exit__(None, None, None)
                else:
                    sys.stdout, sys.stderr = saved
        except BaseException as exc:
            if captured is not None:
                captured.show()
            else:
                sys.stdout.write(out.getvalue())
                sys.stderr.write(err.getvalue())
            return finish("The cell above raised an exception in warm-up run %d of %d, before the profiler "
                          "started, so nothing was profiled. Fix the error and profile again."
                          % (warmup + 1, warmup_runs), exc)

    try:
        prof.start()
    except Exception as exc:
        return finish("The %s profiler could not start (%s: %s), so the cell was not profiled%s. "
                      "Run the cell above normally, or restart the kernel and profile again."
                      % (bundle["backend"], type(exc).__name__, exc,
                         " (it ran %d warm-up time(s))" % warmup_runs if warmup_runs else ""))

    # Recorded runs: one profiler step each. The device is synchronised BEFORE every prof.step():
    # device work is asynchronous, and kernels still queued at a step boundary would be counted
    # in the next step or, after the last step, fall outside the trace (and the wall time).
    cell_exc = value = None
    step_error = None
    for run in range(recorded_runs):
        value = None
        begin = time.perf_counter()
        try:
            exec(body, user_ns)
            if tail is not None:
                value = eval(tail, user_ns)
        except BaseException as exc:
            cell_exc = exc
        try:
            synchronize()
        except BaseException as exc:
            cell_exc = cell_exc or exc
        bundle["wall_times_s"].append(time.perf_counter() - begin)
        if cell_exc is not None:
            # No further runs after an exception, as in a notebook. No prof.step() either: it would
            # open an empty ProfilerStep#; prof.stop() below closes this run's step and writes
            # what was recorded.
            break
        try:
            # Closes ProfilerStep#<run> and opens the next; after the last run it writes the trace.
            prof.step()
        except Exception as exc:
            step_error = exc
            break
    bundle["wall_time_s"] = sum(bundle["wall_times_s"]) / len(bundle["wall_times_s"])
    stop_error = step_error
    try:
        # After the last scheduled step the profiler is already idle and stop() has nothing left
        # to do; after an early break it stops the recording and writes the trace.
        prof.stop()
    except Exception as exc:
        stop_error = stop_error or exc

    found = sorted(glob.glob(pattern), key=os.path.getmtime)
    if not found:
        why = ("%s: %s" % (type(stop_error).__name__, stop_error)) if stop_error else "no trace file appeared"
        return finish("The %s profiler wrote no trace under %s (%s). Check the kernel's log, "
                      "free disk space, and profile again." % (bundle["backend"], bundle["run_dir"], why), cell_exc, value)
    bundle["status"] = "ok"
    bundle["trace_path"] = rel(found[-1])
    bundle["trace_abs_path"] = os.path.abspath(found[-1])
    bundle["trace_bytes"] = os.path.getsize(found[-1])
    if bundle["backend"] == "ascend":
        # Files beside trace_view.json that the checklist reads: versions, recorded environment,
        # memory components (WORKSPACE = task queue level 2), per-step and per-kernel totals.
        pt_dir = os.path.dirname(os.path.dirname(found[-1]))
        out_dir = os.path.join(pt_dir, "ASCEND_PROFILER_OUTPUT")
        candidates = sorted(glob.glob(os.path.join(glob.escape(pt_dir), "profiler_info*.json")))
        candidates.append(os.path.join(pt_dir, "profiler_metadata.json"))
        candidates += [os.path.join(out_dir, name) for name in
                       ("memory_record.csv", "step_trace_time.csv", "kernel_details.csv", "api_statistic.csv")]
        bundle["siblings"] = [rel(path) for path in candidates if os.path.isfile(path)]
        # Derived from "siblings" so both lists stay index-aligned.
        bundle["siblings_abs"] = [os.path.normpath(os.path.join(cwd, path)) for path in bundle["siblings"]]
    return finish(None, cell_exc, value)`;

/**
 * Comment lines of the cell saying how often the code runs and which run folders are deleted, so
 * the user reading the cell knows why their prints appear that often and where old profiles went.
 */
function runsComment(o: IProfileOptions): string[] {
  const lines: string[] = [];
  if (o.warmupRuns > 0) {
    lines.push(
      `# First ${o.warmupRuns} warm-up run(s), not recorded (first-run compiles stay out of the`,
      '# trace); their printed and displayed output is captured and discarded.'
    );
  }
  lines.push(
    o.recordedRuns === 1
      ? '# Then one recorded run: ProfilerStep#0 in the trace.'
      : `# Then ${o.recordedRuns} recorded runs, one profiler step each: ProfilerStep#0 to #${o.recordedRuns - 1}.`
  );
  lines.push(
    o.keepProfiles > 0
      ? `# Keeps the newest ${o.keepProfiles} run_* folder(s) under ${o.outputDir}/ and deletes older ones.`
      : `# Keeps every run_* folder under ${o.outputDir}/.`
  );
  return lines;
}

function pyList(values: readonly string[]): string {
  return '(' + values.map(pyString).join(', ') + ')';
}

/**
 * Builds the Python source of the profiling cell for the code of the cell above.
 *
 * The cell reads as: {@link PROFILING_CELL_MARKER} and a short explanation, the helper
 * `_ascend_profiler_run`, then one call passing the user's code as a Python string literal. It
 * runs the code with IPython semantics (magics, final expression displayed) in the user's
 * namespace, re-raises the user's exception after displaying the bundle, and never changes torch
 * settings.
 *
 * @param userCode - source of the cell to profile, exactly as in the notebook.
 * @param options - overrides for {@link DEFAULT_PROFILE_OPTIONS}.
 * @returns Python source for a new code cell.
 * @throws Error when the options are invalid (see {@link resolveProfileOptions}).
 */
export function buildProfilingCell(
  userCode: string,
  options: Partial<IProfileOptions> = {}
): string {
  const o = resolveProfileOptions(options);
  return [
    PROFILING_CELL_MARKER,
    '# Runs a copy of that code under a profiler (torch_npu on an Ascend NPU, else',
    '# torch.profiler with CUDA, else CPU only), writes the trace to a new folder under',
    `# ${o.outputDir}/ beside the notebook and shows the timeline with a tuning checklist.`,
    ...runsComment(o),
    '',
    HELPER_SOURCE,
    '',
    '',
    `${PROFILING_HELPER_NAME}(`,
    `    code=${pyString(userCode)},`,
    `    output_dir=${pyString(o.outputDir)},`,
    `    profiler_level=${pyString(o.profilerLevel)},`,
    `    record_shapes=${pyBool(o.recordShapes)},`,
    `    with_stack=${pyBool(o.withStack)},`,
    `    warmup_runs=${o.warmupRuns},`,
    `    recorded_runs=${o.recordedRuns},`,
    `    keep_profiles=${o.keepProfiles},`,
    `    profile_memory=${pyBool(o.profileMemory)},`,
    ')',
    ''
  ].join('\n');
}
