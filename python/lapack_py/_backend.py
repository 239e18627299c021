"""The `gpu=` argument: None lets the library's router decide, True forces the GPU
backend, False the CPU, for the calls made inside `use(gpu)` on this thread
(lapack_ai_set_backend is a per-thread override). With no usable device, True runs on
the CPU after the library's one warning; results are the same either way. Only calls
with a GPU implementation (GEMM today, so matmul and the GEMMs inside LAPACK) move.
The device is `LAPACK_AI_DEVICE` (default: the first GPU; PoCL must be named)."""

import contextlib

from . import _lib

CODES = {"auto": 1, "cpu": 2, "gpu": 3}
NAMES = {code: name for name, code in CODES.items()}


@contextlib.contextmanager
def use(gpu):
    if gpu is None:
        yield
        return
    previous = _lib.api("set_backend", CODES["gpu"] if gpu else CODES["cpu"])
    try:
        yield
    finally:
        _lib.api("set_backend", previous)
