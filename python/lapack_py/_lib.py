"""Finds and loads liblapack_ai, and declares its C API for ctypes.

Which copy is used, first match wins:
1. one already mapped into this process (LD_PRELOAD, a program linked against it), so that
   NumPy's calls and ours share the same counters and settings;
2. ``$LAPACK_AI_LIB``;
3. the copy inside this package (put there by ``pip install ./python``);
4. ``target/release/liblapack_ai.so`` of the repository this file sits in (development).
"""

import ctypes
import os
import pathlib

_HERE = pathlib.Path(__file__).resolve().parent
NAME = "liblapack_ai.so"


def mapped_copy():
    """Path of a liblapack_ai already mapped into this process, or None."""
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split(maxsplit=5)[-1].strip()
                if os.path.basename(path).startswith("liblapack_ai.so"):
                    return path
    except OSError:
        pass
    return None


def candidates():
    """The places searched, in order (existing or not)."""
    found = [mapped_copy(), os.environ.get("LAPACK_AI_LIB")]
    found += [str(_HERE / NAME), str(_HERE.parent.parent / "target" / "release" / NAME)]
    return [p for p in found if p]


def _load():
    for path in candidates():
        if os.path.exists(path):
            return path, ctypes.CDLL(path)
    raise ImportError(
        "lapack_py: liblapack_ai.so not found (looked in: %s). Install with "
        "'pip install ./python' from the repository, or set LAPACK_AI_LIB."
        % ", ".join(candidates())
    )


PATH, LIB = _load()

# Our C API (include/lapack_ai.h): name -> (result type, argument types).
_STRING = ctypes.c_void_p  # malloc'd char *, released with lapack_ai_free_string
_API = {
    "lapack_ai_version": (ctypes.c_char_p, []),
    "lapack_ai_stats_json": (_STRING, []),
    "lapack_ai_stats_reset": (None, []),
    "lapack_ai_free_string": (None, [ctypes.c_void_p]),
    "lapack_ai_last_error": (_STRING, []),
    "lapack_ai_explain": (_STRING, [ctypes.c_char_p, ctypes.c_int]),
    "lapack_ai_set_backend": (ctypes.c_int, [ctypes.c_int]),
    "lapack_ai_get_backend": (ctypes.c_int, []),
    "lapack_ai_get_num_threads": (ctypes.c_int, []),
    "lapack_ai_set_num_threads": (ctypes.c_int, [ctypes.c_int]),
    "lapack_ai_set_verbose": (ctypes.c_int, [ctypes.c_int]),
    "lapack_ai_get_verbose": (ctypes.c_int, []),
    "lapack_ai_devices_json": (_STRING, []),
}
for _name, (_res, _args) in _API.items():
    _fn = getattr(LIB, _name)
    _fn.restype, _fn.argtypes = _res, _args


def api(name, *args):
    """Calls C API function ``lapack_ai_<name>``; strings come back as str (or None)."""
    fn = getattr(LIB, "lapack_ai_" + name)
    result = fn(*args)
    if fn.restype is _STRING:
        if not result:
            return None
        try:
            return ctypes.string_at(result).decode("utf-8", "replace")
        finally:
            LIB.lapack_ai_free_string(result)
    if fn.restype is ctypes.c_char_p:
        return result.decode()
    return result
