"""Building on a Dask distributed cluster, when one machine is not enough.

The build hands each document to an :class:`concurrent.futures.Executor`; a Dask client gives
one (:meth:`distributed.Client.get_executor`), so the per-document stages (and the id index's
parts) run on the cluster's workers while this process plans, merges what they return (facts,
findings) and writes the edition-wide pages. What the cluster needs: every worker has teikit
installed (the same version) and sees the project's folder and its cache at the same paths (a
shared file system), since workers read the sources and write each document's outputs into the
build cache, which this process then links into the output.

``distributed`` is imported only here, and only when a scheduler is named: it takes a second to
import, which a build on one machine should not pay.
"""

from __future__ import annotations

from concurrent.futures import Executor

from toolkit.errors import ConfigError


class ClusterExecutor(Executor):
    """A Dask cluster's executor that also closes its client when shut down."""

    def __init__(self, client) -> None:
        self.client = client
        self._executor = client.get_executor(pure=False)

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait)
        self.client.close()

    def slots(self) -> int:
        """How many tasks the cluster runs at once (its workers' threads)."""
        return max(1, sum(self.client.nthreads().values()))


def connect(address: str, timeout: float = 10) -> ClusterExecutor:
    """An executor on the Dask scheduler at ``address`` (e.g. ``tcp://host:8786``)."""
    try:
        from distributed import Client  # imported here: see the module's docstring
    except ImportError:
        raise ConfigError("building on a cluster needs Dask's distributed package",
                          hint="pip install 'teikit[cluster]'") from None
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {address}: {exc}",
                          hint="start one (dask scheduler; dask worker ADDRESS on each machine) "
                               "or check the address") from None
    return ClusterExecutor(client)
