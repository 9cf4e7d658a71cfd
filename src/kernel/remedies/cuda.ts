/**
 * CUDA / PyTorch settings the checklist can suggest. Sources: the PyTorch docs
 * (https://pytorch.org/docs/stable/notes/cuda.html#tensorfloat-32-tf32-on-ampere-and-later-devices,
 * https://pytorch.org/docs/stable/backends.html,
 * https://pytorch.org/docs/stable/generated/torch.compile.html,
 * https://pytorch.org/docs/stable/notes/cuda.html#asynchronous-execution).
 */
import type { IRemedy } from '../remedies';

/** CUDA settings, by id, in the order a remedy cell applies them. */
export const CUDA_REMEDIES: Record<string, IRemedy> = {
  'cuda-tf32': {
    id: 'cuda-tf32',
    backend: 'cuda',
    title: 'Allow TF32 for float32 matmul and convolutions',
    restart: 'none',
    comment: [
      'Let float32 matmuls and cuDNN convolutions use TF32 tensor cores (Ampere and newer): much',
      'faster, with about 10 bits of mantissa. Takes effect at once, no restart.'
    ],
    code: [
      'torch.backends.cuda.matmul.allow_tf32 = True',
      'torch.backends.cudnn.allow_tf32 = True'
    ],
    imports: ['torch']
  },
  'cudnn-benchmark': {
    id: 'cudnn-benchmark',
    backend: 'cuda',
    title: 'Let cuDNN pick the fastest convolution algorithm',
    restart: 'none',
    comment: [
      'Let cuDNN time its convolution algorithms and keep the fastest for each input shape: pays',
      'off when shapes repeat, costs time whenever a new shape appears. Takes effect at once, no restart.'
    ],
    code: ['torch.backends.cudnn.benchmark = True'],
    imports: ['torch']
  },
  'cuda-graphs-compile': {
    id: 'cuda-graphs-compile',
    backend: 'cuda',
    title: 'Replay the model with CUDA Graphs (torch.compile mode="reduce-overhead")',
    // Runtime: nothing to restart, but the first calls compile and capture. The cell
    // cannot know the model's variable name, so the call stays a template.
    restart: 'none',
    comment: [
      'Compile the model and replay its kernels with CUDA Graphs: one launch per captured',
      'sequence instead of one per operator, for small models whose GPU waits on Python.',
      'EDIT BEFORE RUNNING: replace `model` with your model\'s variable name and remove the `#`.',
      'Needs no restart; the first calls compile and capture (slow), later calls replay. Shapes should',
      'stay fixed (each new shape captures again), and outputs are overwritten by the next call:',
      'clone them if you keep them.'
    ],
    code: ['# model = torch.compile(model, mode="reduce-overhead")'],
    imports: ['torch'],
    requires: { torch: '2.0' }
  },
  'cuda-launch-blocking-off': {
    id: 'cuda-launch-blocking-off',
    backend: 'cuda',
    title: 'Unset CUDA_LAUNCH_BLOCKING',
    // Read when CUDA initialises (the first CUDA call in the process), so it acts only in a
    // fresh kernel, before any CUDA work. If JupyterLab itself was started with the variable,
    // every new kernel inherits it: this cell removes it again.
    restart: 'kernel',
    comment: [
      'CUDA_LAUNCH_BLOCKING=1 makes every kernel launch wait for the kernel to finish (a debugging',
      'aid), so the CPU and the GPU take turns. NEEDS A KERNEL RESTART: CUDA reads it when it',
      'initialises, so restart the kernel and run this cell first, before any CUDA work.'
    ],
    code: ['os.environ.pop("CUDA_LAUNCH_BLOCKING", None)'],
    imports: ['os']
  }
};
