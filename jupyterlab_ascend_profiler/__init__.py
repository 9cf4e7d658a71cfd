"""JupyterLab extension: profile a notebook cell on Ascend NPU, CUDA or CPU.

The extension is prebuilt: this package only ships the built front end and
tells JupyterLab where it is.
"""

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "dev"


def _jupyter_labextension_paths():
    """Where JupyterLab finds the built extension (used by `jupyter labextension develop`)."""
    return [{"src": "labextension", "dest": "jupyterlab-ascend-profiler"}]
