"""lapack_py: NumPy-style linear algebra on liblapack_ai.

    import lapack_py as lap
    u, s, vh = lap.svd(a)            # numpy.linalg.svd's signature and results
    x = lap.solve(a, b, gpu=False)   # gpu: None (library decides), True, False

Every function calls the library's Fortran LAPACK/BLAS names through ctypes; failures
raise `LapackError`, a numpy.linalg.LinAlgError carrying the library's explanation.
"""

from . import threadpool as _threadpool
from .control import config, devices, stats, stats_reset, version
from .decomp import eig, eigh, eigvals, eigvalsh, pinv, svd, svdvals
from .errors import LapackError
from .factor import cholesky, lu, qr
from .matmul import matmul
from .solve import det, inv, lstsq, slogdet, solve

__all__ = [
    "svd", "eig", "eigh", "solve", "lstsq", "inv", "det", "cholesky", "qr", "lu", "matmul",
    "eigvals", "eigvalsh", "svdvals", "pinv", "slogdet",
    "stats", "stats_reset", "devices", "config", "version", "LapackError",
]

_threadpool.install()
