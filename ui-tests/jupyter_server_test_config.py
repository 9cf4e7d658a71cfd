"""Server configuration for the browser tests (Galata's defaults plus root and offline settings)."""
import getpass

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821

# CI runs as root; without this the server refuses to start.
c.ServerApp.allow_root = getpass.getuser() == "root"  # noqa: F821
# No PyPI queries from the extension manager: the test machines are offline.
c.LabApp.extension_manager = "readonly"  # noqa: F821
