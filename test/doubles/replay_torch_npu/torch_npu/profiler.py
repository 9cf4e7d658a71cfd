"""TEST DOUBLE of ``torch_npu.profiler``: records nothing, replays a real profile folder.

The step logic mirrors torch_npu's (identical to torch.profiler's, see torch_npu
``profiler/scheduler.py``): the schedule maps a step number to an action, and leaving a
RECORD_AND_SAVE step (on ``step()`` or ``stop()``) fires ``on_trace_ready``. That keeps the
double honest about the trap the profiling cell must avoid: with a schedule but no trace-ready
transition, nothing is written.
"""

import datetime
import gzip
import os
import shutil

#: Env var naming another ``*_ascend_pt`` folder to replay.
SOURCE_ENV = "ASCEND_PROFILER_REPLAY_SOURCE"

_HERE = os.path.dirname(os.path.abspath(__file__))
#: Default: the real Level1 sample (test/fixtures/public-traces/...), relative to this file.
DEFAULT_SOURCE = os.path.normpath(os.path.join(
    _HERE, "..", "..", "..", "fixtures", "public-traces", "ascend-msinsight", "level1", "rank0_ascend_pt"))


class ProfilerActivity:
    """Activity names as torch_npu spells them."""
    CPU = "CPU"
    NPU = "NPU"


class ProfilerLevel:
    """torch_npu ``profiler_level`` values."""
    Level_none = "Level_none"
    Level0 = "Level0"
    Level1 = "Level1"
    Level2 = "Level2"


class AiCMetrics:
    """torch_npu ``aic_metrics`` values (the subset of names we may pass)."""
    AiCoreNone = "ACL_AICORE_NONE"
    PipeUtilization = "ACL_AICORE_PIPE_UTILIZATION"
    ArithmeticUtilization = "ACL_AICORE_ARITHMETIC_UTILIZATION"
    Memory = "ACL_AICORE_MEMORY_BANDWIDTH"


class ExportType:
    """torch_npu ``export_type`` values."""
    Text = "text"
    Db = "db"


class ProfilerAction:
    """What the schedule asks for at a step (same names as torch.profiler.ProfilerAction)."""
    NONE = "NONE"
    WARMUP = "WARMUP"
    RECORD = "RECORD"
    RECORD_AND_SAVE = "RECORD_AND_SAVE"


class _ExperimentalConfig:
    """Keeps the keyword arguments it was given, so tests can inspect them."""

    def __init__(self, **kwargs):
        self.kwargs = dict(kwargs)


def schedule(wait, active, warmup=0, repeat=0, skip_first=0):
    """Same step -> action mapping as torch_npu.profiler.schedule."""
    def action(step):
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        cycle = wait + warmup + active
        if repeat > 0 and step // cycle >= repeat:
            return ProfilerAction.NONE
        pos = step % cycle
        if pos < wait:
            return ProfilerAction.NONE
        if pos < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if pos < cycle - 1 else ProfilerAction.RECORD_AND_SAVE
    return action


def _default_schedule(step):
    return ProfilerAction.RECORD


def _copy_tree(src, dst):
    """Copy without permissions (the fixtures are read-only) and gunzip ``*.gz`` files."""
    for root, _dirs, files in os.walk(src):
        target = os.path.join(dst, os.path.relpath(root, src))
        os.makedirs(target, exist_ok=True)
        for name in files:
            if name.endswith(".gz"):
                with gzip.open(os.path.join(root, name), "rb") as fin, \
                        open(os.path.join(target, name[:-3]), "wb") as fout:
                    shutil.copyfileobj(fin, fout)
            else:
                shutil.copyfile(os.path.join(root, name), os.path.join(target, name))


def tensorboard_trace_handler(dir_name=None, worker_name=None, analyse_flag=True, async_mode=False):
    """Return a handler that writes the replayed profile under ``dir_name`` like torch_npu does."""
    def handler(prof):
        source = os.environ.get(SOURCE_ENV) or DEFAULT_SOURCE
        if not os.path.isdir(source):
            raise FileNotFoundError("replay source folder not found: %s (set %s)" % (source, SOURCE_ENV))
        stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S%f")[:-3]
        worker = worker_name or "replay_%d" % os.getpid()
        out = os.path.join(dir_name or ".", "%s_%s_ascend_pt" % (worker, stamp))
        _copy_tree(source, out)
        prof.replayed_dirs.append(out)
    return handler


class profile:
    """Context manager with start/step/stop, like torch_npu.profiler.profile; records nothing."""

    def __init__(self, activities=None, schedule=None, on_trace_ready=None, record_shapes=False,
                 profile_memory=False, with_stack=False, with_flops=False, with_modules=False,
                 experimental_config=None, **kwargs):
        self.activities = activities
        self.schedule = schedule or _default_schedule
        self.on_trace_ready = on_trace_ready
        self.record_shapes = record_shapes
        self.with_stack = with_stack
        self.experimental_config = experimental_config
        self.step_num = 0
        self.current_action = None
        self.replayed_dirs = []

    def _transit(self, new_action):
        if self.current_action == ProfilerAction.RECORD_AND_SAVE and new_action != ProfilerAction.RECORD_AND_SAVE:
            if self.on_trace_ready is not None:
                self.on_trace_ready(self)
        self.current_action = new_action

    def start(self):
        self.step_num = 0
        self.current_action = self.schedule(self.step_num)

    def step(self):
        self.step_num += 1
        self._transit(self.schedule(self.step_num))

    def stop(self):
        self._transit(None)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.stop()
        return False
