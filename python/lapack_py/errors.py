"""The exception lapack_py raises: a numpy.linalg.LinAlgError carrying the library's
explanation (e.g. "DGESV: U(3,3) is exactly zero; the matrix is singular")."""

import numpy as np

from . import _lib


class LapackError(np.linalg.LinAlgError):
    """A LAPACK routine failed (INFO != 0) or the input cannot be used.

    `routine` is the routine's name ("DGESV") and `info` its INFO, or None for an input
    rejected before any call (bad shape).
    """

    def __init__(self, message, routine=None, info=None):
        super().__init__(message)
        self.routine = routine
        self.info = info


def from_info(routine, info):
    """The error for INFO = `info` returned by `routine` ("dgesv_"): the library's last
    error of this thread if it recorded one, else its explanation of INFO."""
    name = routine.rstrip("_").upper()
    message = _lib.api("last_error") or _lib.api("explain", name.encode(), info)
    if message is None:
        message = "%s returned INFO = %d" % (name, info)
    return LapackError(message, routine=name, info=info)


def clear():
    """Forgets a stale last error of this thread (before a call whose error we report)."""
    _lib.api("last_error")
