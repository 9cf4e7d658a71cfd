/**
 * CUDA / PyTorch settings the checklist can suggest. Sources: the PyTorch docs
 * (https://pytorch.org/docs/stable/notes/cuda.html#tensorfloat-32-tf32-on-ampere-and-later-devices,
 * https://pytorch.org/docs/stable/backends.html).
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
  }
};
