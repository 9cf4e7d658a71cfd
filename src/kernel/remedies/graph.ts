/**
 * Graph-mode settings for Ascend: TorchAir aclgraph (capture and replay of
 * NPU stream tasks, the Ascend analogue of CUDA Graphs). Sources:
 * tuning-rules.md §4.5 (Ascend/torchair `docs/zh/overview.md`,
 * `python/torchair/configs/compiler_config.py`; InfoQ "aclgraph" series).
 * The CUDA counterpart, `cuda-graphs-compile`, lives in cuda.ts.
 */
import type { IRemedy } from '../remedies';

/** Graph-mode settings, by id, in the order a remedy cell applies them. */
export const GRAPH_REMEDIES: Record<string, IRemedy> = {
  'ascend-graph-mode': {
    id: 'ascend-graph-mode',
    backend: 'ascend',
    title: 'Replay the model as an NPU graph (TorchAir aclgraph)',
    // Runtime: torch.compile compiles on the first call; no restart. The cell cannot know
    // the model's variable name, so it builds the backend and leaves the compile call as a
    // template.
    restart: 'none',
    comment: [
      'Capture the model\'s NPU tasks once and replay them (TorchAir aclgraph): one launch per',
      'captured sequence instead of one host dispatch per operator, for small models whose NPU',
      'waits on the host. EDIT BEFORE RUNNING the last line: replace `model` with your model\'s',
      'variable name and remove the `#`. Needs no restart; the first call compiles and captures.',
      'Needs torch_npu 7.0.0 / CANN 8.1.RC1 or newer with the matching torchair, on Atlas A2 or',
      'A3; inference only (no backward), fixed shapes, one NPU per process, no random ops or',
      'stream syncs inside the model.'
    ],
    code: [
      'import torchair',
      'ascend_profiler_graph_config = torchair.CompilerConfig()',
      'ascend_profiler_graph_config.mode = "reduce-overhead"',
      'ascend_profiler_npu_backend = torchair.get_npu_backend(compiler_config=ascend_profiler_graph_config)',
      '# model = torch.compile(model, backend=ascend_profiler_npu_backend, dynamic=False)'
    ],
    imports: ['torch', 'torch_npu'],
    requires: { torch_npu: '7.0.0', cann: '8.1.RC1' }
  }
};
