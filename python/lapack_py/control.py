"""The library's state from Python: counters, OpenCL devices, settings."""

import json
import os

from . import _backend, _lib


def version():
    """liblapack_ai's version string."""
    return _lib.api("version")


def stats():
    """The library's call counters (lapack_ai_stats_json) as a dict: {"version", 
    "timed_min_flops", "routines": [{"routine", "backend", "calls", "flops", ...}]}."""
    return json.loads(_lib.api("stats_json"))


def stats_reset():
    """Sets every counter back to zero."""
    _lib.api("stats_reset")


def devices():
    """The OpenCL devices (lapack_ai_devices_json) as a dict: {"selector", "selected",
    "error", "devices": [{"index", "platform", "name", "is_gpu", ...}]}. PoCL (a CPU
    device) is listed but used only when LAPACK_AI_DEVICE names it."""
    return json.loads(_lib.api("devices_json"))


class Config(dict):
    """The current settings, a dict; as a context manager it restores the settings that
    were in force before the `config(...)` call that made it."""

    def __init__(self, values, previous=None):
        super().__init__(values)
        self._previous = previous

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._previous:
            _apply(**self._previous)
        return False


def _current():
    return {
        "backend": _backend.NAMES[_lib.api("get_backend")],
        "threads": _lib.api("get_num_threads"),
        "verbose": bool(_lib.api("get_verbose")),
        "device": os.environ.get("LAPACK_AI_DEVICE"),
        "library": _lib.PATH,
        "version": version(),
    }


def _apply(backend=None, threads=None, verbose=None):
    if backend is not None:
        if backend not in _backend.CODES:
            raise ValueError("backend must be 'auto', 'cpu' or 'gpu', not %r" % (backend,))
        _lib.api("set_backend", _backend.CODES[backend])
    if threads is not None:
        _lib.api("set_num_threads", int(threads))
    if verbose is not None:
        _lib.api("set_verbose", 1 if verbose else 0)


def config(backend=None, threads=None, verbose=None):
    """Changes the given settings and returns the current ones (a dict):
    `backend` 'auto' | 'cpu' | 'gpu' (this thread's calls), `threads` (CPU threads per
    call, at most the pool's size), `verbose` (a line per call on stderr).
    `with lap.config(backend="cpu"): ...` restores the earlier settings on exit."""
    before = _current()
    previous = {
        name: before[name]
        for name, value in (("backend", backend), ("threads", threads), ("verbose", verbose))
        if value is not None
    }
    _apply(backend, threads, verbose)
    return Config(_current(), previous)
