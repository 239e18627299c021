"""threadpoolctl support: `threadpool_limits(1)` limits liblapack_ai's CPU threads,
and `threadpool_info()` lists it (user_api "blas", internal_api "lapack_ai")."""

import ctypes

try:
    from threadpoolctl import LibController, register
except ImportError:  # threadpoolctl missing or older than 3.3
    LibController = register = None


if LibController is not None:

    class LapackAIController(LibController):
        user_api = "blas"
        internal_api = "lapack_ai"
        filename_prefixes = ("liblapack_ai",)
        check_symbols = ("lapack_ai_get_num_threads", "lapack_ai_set_num_threads")

        def get_num_threads(self):
            return getattr(self.dynlib, "lapack_ai_get_num_threads")()

        def set_num_threads(self, num_threads):
            fn = getattr(self.dynlib, "lapack_ai_set_num_threads")
            fn.argtypes, fn.restype = [ctypes.c_int], ctypes.c_int
            return fn(num_threads)

        def get_version(self):
            fn = getattr(self.dynlib, "lapack_ai_version")
            fn.restype = ctypes.c_char_p
            return fn().decode()


def install():
    """Registers the controller with threadpoolctl (when it is installed)."""
    if register is not None:
        register(LapackAIController)
