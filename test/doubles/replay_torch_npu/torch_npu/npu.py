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
