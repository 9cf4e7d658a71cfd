"""TEST DOUBLE of torch_npu that replays a real Ascend profile. It is NOT torch_npu.

We have no Ascend NPU to test on. This package stands in for torch_npu so the profiling cell
(src/kernel/profilingCell.ts) can take its Ascend branch in tests: it reports one available
"NPU" and, when the profiler's trace handler fires, copies a profile folder recorded on real
hardware (public sample, provenance in test/fixtures/public-traces/SOURCES.md) into the run
folder, as torch_npu's tensorboard_trace_handler would write it:

    <dir>/replay_<pid>_<timestamp>_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json

Only what the profiling cell calls is implemented: ``__version__``, ``npu.is_available()``,
``npu.synchronize()``, ``npu.get_device_name()``, ``profiler.profile`` (context manager and
start/step/stop), ``ProfilerActivity``, ``schedule``, ``tensorboard_trace_handler``,
``_ExperimentalConfig``, ``ProfilerLevel``, ``AiCMetrics``, ``ExportType``. Nothing runs on a
device and torch is not touched, so it imports next to real CPU torch; user code in tests runs
on the CPU. The source folder defaults to the level1 sample found relative to this file;
set ASCEND_PROFILER_REPLAY_SOURCE to replay another ``*_ascend_pt`` folder.

Put ``test/doubles/replay_torch_npu`` on PYTHONPATH (or sys.path) to use it.
"""

from . import npu, profiler

#: Marks this module as a stand-in; real torch_npu has no such attribute.
REPLAY_TEST_DOUBLE = True

#: Not a real torch_npu version; says what this is wherever the version gets reported.
__version__ = "0.0.0+replay.test.double"

__all__ = ["REPLAY_TEST_DOUBLE", "__version__", "npu", "profiler"]
