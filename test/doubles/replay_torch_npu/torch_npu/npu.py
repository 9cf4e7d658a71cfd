"""TEST DOUBLE of ``torch_npu.npu``: one pretend device, nothing to wait for."""

DEVICE_NAME = "Replay test double (no NPU)"


def is_available():
    """Always True: the double pretends there is an NPU so the Ascend branch runs."""
    return True


def synchronize(device=None):
    """Nothing is queued on a device that does not exist, so there is nothing to wait for."""
    return None


def get_device_name(device=None):
    """A name that makes plain in any report that no real NPU was used."""
    return DEVICE_NAME


# The runtime switches a remedy cell sets. The double only remembers them, so a
# test can check that the cell ran; the replayed trace does not change.
jit_compile = None


def set_compile_mode(jit_compile=True):
    """Remember the requested compile mode (real torch_npu switches operator compilation)."""
    globals()["jit_compile"] = bool(jit_compile)


def is_jit_compile_false():
    """Whether online compilation was switched off (as the real torch_npu reports it)."""
    return jit_compile is False


class _Config:
    """Stand-in for ``torch_npu.npu.config``; holds ``allow_internal_format``."""

    # As in the replayed Level1 run, whose device ran 57 TransData kernels: internal formats on.
    allow_internal_format = True


config = _Config()
