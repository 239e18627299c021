"""Getting arrays into the Fortran layout LAPACK wants, copying only when needed.

- `scratch`: LAPACK overwrites it. A fresh Fortran-ordered copy (exactly one), unless the
  caller allowed overwriting and the array already has the right dtype and layout, in
  which case it is used as is (zero copy: the caller sees the result in it).
(Read-only operands, such as matmul's, are passed as they are: see matmul.py.)
"""

import numpy as np


def usable(a, dtype):
    """True when `a` can be handed to Fortran as is."""
    return a.dtype == dtype and a.flags.f_contiguous and a.flags.writeable and a.flags.aligned


def scratch(a, dtype, overwrite=False):
    if overwrite and usable(a, dtype):
        return a
    return np.array(a, dtype=dtype, order="F", copy=True)


def ld(rows):
    """A leading dimension LAPACK accepts for `rows` rows (at least 1)."""
    return max(1, rows)
