"""What the fork server of :class:`bench.execution.local.ProcessExecutor` runs at start.

The fork server imports this module once (``set_forkserver_preload``), so
every worker forked from it starts with the task code, numpy, sacrebleu and
the metrics already imported. Importing it also ties the fork server's life
to the run's: when the run dies, even by SIGKILL, the fork server is killed,
and with it (see ``ProcessExecutor``) every worker.
"""

from __future__ import annotations

import bench.execution.tasks  # noqa: F401 - imported for the workers forked from here
from bench.process import start_fork_server

start_fork_server()
