"""Builds the wheel with liblapack_ai.so inside the package.

The library is taken from $LAPACK_AI_LIB, else from the repository's
target/release/liblapack_ai.so, which `cargo build --release` makes when it is missing.
Everything else is in pyproject.toml.
"""

import os
import pathlib
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py

REPO = pathlib.Path(__file__).resolve().parent.parent
NAME = "liblapack_ai.so"


def library():
    given = os.environ.get("LAPACK_AI_LIB")
    if given:
        return pathlib.Path(given)
    built = REPO / "target" / "release" / NAME
    if not built.exists():
        subprocess.run(["cargo", "build", "--release"], cwd=REPO, check=True)
    return built


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        target = pathlib.Path(self.build_lib) / "lapack_py" / NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library(), target)


try:
    from wheel.bdist_wheel import bdist_wheel

    class PlatformWheel(bdist_wheel):
        """The wheel holds a native library: tag it for this platform, not 'any'."""

        def finalize_options(self):
            super().finalize_options()
            self.root_is_pure = False

    commands = {"build_py": BuildWithLibrary, "bdist_wheel": PlatformWheel}
except ImportError:
    commands = {"build_py": BuildWithLibrary}

setup(cmdclass=commands)
