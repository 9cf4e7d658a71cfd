/**
 * The profiling template: the Python source of the cell that "Profile this cell" inserts below
 * the user's cell. Pure string building; nothing here talks to a kernel.
 *
 * The generated cell runs the user's code once under a profiler picked at run time (torch_npu on
 * an Ascend NPU, else torch.profiler with CUDA, else torch.profiler on the CPU), writes the trace
 * to a fresh run folder beside the notebook (the kernel's working directory) and ends by
 * displaying {@link PROFILER_MIME_TYPE}, which the frontend renders as timeline and checklist.
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
}

/** The defaults used for any option the caller leaves out. */
export const DEFAULT_PROFILE_OPTIONS: Readonly<IProfileOptions> = Object.freeze({
  outputDir: 'ascend_profiler_runs',
  profilerLevel: 'Level1',
  recordShapes: true,
  withStack: false
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
 * @throws Error when `profilerLevel` is not Level0/1/2, when `outputDir` is empty, or when it
 *   contains a dot-folder (Jupyter's Contents API hides those, so the trace could not be fetched).
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
  return { ...resolved, outputDir: dir };
}

/**
 * The helper function of the profiling cell. Everything it needs is imported inside it, so the
 * only name the cell adds to the user's namespace is the helper itself.
 *
 * Kept free of backslashes so the TypeScript template literal is the Python source verbatim.
 */
const HELPER_SOURCE = `def ${PROFILING_HELPER_NAME}(code, output_dir, profiler_level, record_shapes, with_stack):
    """Run code once like a notebook cell, under the profiler, and display the result bundle."""
    import ast, datetime, glob, importlib.util, json, linecache, os, platform, secrets, sys, time, warnings

    mime = "${PROFILER_MIME_TYPE}"
    started = datetime.datetime.now().astimezone()
    # Paths in the bundle are relative to the directory the kernel was in when the run started
    # (the notebook's folder), so the frontend can fetch them through the Contents API even if
    # the user's code changes directory.
    cwd = os.getcwd()
    run_name = "run_" + started.strftime("%Y%m%d_%H%M%S") + "_" + secrets.token_hex(3)
    run_dir = os.path.join(cwd, output_dir, run_name)

    def rel(path):
        return os.path.relpath(path, cwd).replace(os.sep, "/")

    env_names = ${pyList(RECORDED_ENV_VARS)}
    bundle = {
        "version": 1, "status": "error", "error": None, "backend": "cpu",
        "trace_path": None, "run_dir": rel(run_dir), "trace_bytes": None, "siblings": [],
        "device": platform.processor() or platform.machine() or "CPU",
        "versions": {"python": platform.python_version()},
        "env": {name: os.environ.get(name) for name in env_names},
        "wall_time_s": 0.0, "cell_error": None,
        "started_at": started.isoformat(timespec="seconds"),
        "profiler": {"level": profiler_level, "record_shapes": record_shapes, "with_stack": with_stack},
    }

    try:
        from IPython import get_ipython
        from IPython.display import display
        ip = get_ipython()
    except ImportError:
        ip, display = None, None
    # The kernel's user namespace, so the code defines its variables exactly as the cell above
    # would; outside IPython (plain python, tests) the __main__ module's namespace.
    user_ns = ip.user_ns if ip is not None else sys.modules["__main__"].__dict__

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
        if bundle["status"] == "ok":
            summary = "ascend-profiler: %s profile of the cell above, %.3f s, trace %s" % (
                bundle["backend"], bundle["wall_time_s"], bundle["trace_path"])
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
        # schedule(wait=0, warmup=0, active=1): step 0 is RECORD_AND_SAVE, so the one prof.step()
        # below closes ProfilerStep#0, stops recording and fires on_trace_ready, which writes
        # (and on torch_npu parses) the trace. Without a schedule no ProfilerStep# slice exists.
        # warmup=0 is deliberate (we profile exactly one run of the cell); silence its warning.
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
                schedule=p.schedule(wait=0, warmup=0, active=1, repeat=1, skip_first=0),
                on_trace_ready=p.tensorboard_trace_handler(run_dir),
                record_shapes=record_shapes, with_stack=with_stack, **extra)
            prof.start()
    except Exception as exc:
        return finish("The %s profiler could not start (%s: %s), so the cell was not run. "
                      "Run the cell above normally, or restart the kernel and profile again."
                      % (bundle["backend"], type(exc).__name__, exc))

    cell_exc = value = None
    begin = time.perf_counter()
    try:
        exec(body, user_ns)
        if tail is not None:
            value = eval(tail, user_ns)
    except BaseException as exc:
        cell_exc = exc
    try:
        # Device work is asynchronous: wait for it BEFORE prof.step(), which ends the recording;
        # otherwise kernels still queued fall outside the trace and wall_time_s is too short.
        synchronize()
    except BaseException as exc:
        cell_exc = cell_exc or exc
    bundle["wall_time_s"] = time.perf_counter() - begin
    stop_error = None
    # prof.step() closes ProfilerStep#0 and, with the schedule above, writes the trace (torch_npu
    # also parses it here, which can take a while); prof.stop() then has nothing left to record.
    for action in (prof.step, prof.stop):
        try:
            action()
        except Exception as exc:
            stop_error = stop_error or exc

    found = sorted(glob.glob(pattern), key=os.path.getmtime)
    if not found:
        why = ("%s: %s" % (type(stop_error).__name__, stop_error)) if stop_error else "no trace file appeared"
        return finish("The %s profiler wrote no trace under %s (%s). Check the kernel's log, "
                      "free disk space, and profile again." % (bundle["backend"], bundle["run_dir"], why), cell_exc, value)
    bundle["status"] = "ok"
    bundle["trace_path"] = rel(found[-1])
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
    return finish(None, cell_exc, value)`;

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
    '# Runs a copy of that code once under a profiler (torch_npu on an Ascend NPU, else',
    '# torch.profiler with CUDA, else CPU only), writes the trace to a new folder under',
    `# ${o.outputDir}/ beside the notebook and shows the timeline with a tuning checklist.`,
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
    ')',
    ''
  ].join('\n');
}
