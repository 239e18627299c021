"""The argument checks of every native level-2 and level-3 BLAS routine: each checked
argument made illegal in turn. The error child of run.py checks that the message names
the routine, the reference position, the argument's value and the rule it broke (the
positions themselves are also checked against reference BLAS by Netlib's xblat2/3)."""

import numpy as np

from common import Arg

# Argument lists in the reference order.
LEVEL2 = {
    'GEMV': 'TRANS M N ALPHA A LDA X INCX BETA Y INCY',
    'GBMV': 'TRANS M N KL KU ALPHA A LDA X INCX BETA Y INCY',
    'SYMV': 'UPLO N ALPHA A LDA X INCX BETA Y INCY',
    'SBMV': 'UPLO N K ALPHA A LDA X INCX BETA Y INCY',
    'SPMV': 'UPLO N ALPHA AP X INCX BETA Y INCY',
    'TRMV': 'UPLO TRANS DIAG N A LDA X INCX',
    'TRSV': 'UPLO TRANS DIAG N A LDA X INCX',
    'TBMV': 'UPLO TRANS DIAG N K A LDA X INCX',
    'TBSV': 'UPLO TRANS DIAG N K A LDA X INCX',
    'TPMV': 'UPLO TRANS DIAG N AP X INCX',
    'TPSV': 'UPLO TRANS DIAG N AP X INCX',
    'GER': 'M N ALPHA X INCX Y INCY A LDA',
    'SYR': 'UPLO N ALPHA X INCX A LDA',
    'SPR': 'UPLO N ALPHA X INCX AP',
    'SYR2': 'UPLO N ALPHA X INCX Y INCY A LDA',
    'SPR2': 'UPLO N ALPHA X INCX Y INCY AP',
}
LEVEL3 = {
    'GEMM': 'TRANSA TRANSB M N K ALPHA A LDA B LDB BETA C LDC',
    'SYMM': 'SIDE UPLO M N ALPHA A LDA B LDB BETA C LDC',
    'SYRK': 'UPLO TRANS N K ALPHA A LDA BETA C LDC',
    'SYR2K': 'UPLO TRANS N K ALPHA A LDA B LDB BETA C LDC',
    'TRMM': 'SIDE UPLO TRANSA DIAG M N ALPHA A LDA B LDB',
    'TRSM': 'SIDE UPLO TRANSA DIAG M N ALPHA A LDA B LDB',
}
# The complex-only routines, with the argument list of their real counterpart.
COMPLEX = {'HEMV': 'SYMV', 'HBMV': 'SBMV', 'HPMV': 'SPMV', 'GERU': 'GER', 'GERC': 'GER',
           'HER': 'SYR', 'HPR': 'SPR', 'HER2': 'SYR2', 'HPR2': 'SPR2',
           'HEMM': 'SYMM', 'HERK': 'SYRK', 'HER2K': 'SYR2K'}

OPTIONS = {'TRANS': 'N', 'TRANSA': 'N', 'TRANSB': 'N', 'UPLO': 'U', 'DIAG': 'N', 'SIDE': 'L'}
DIMS = {'M': 2, 'N': 2, 'K': 2, 'KL': 1, 'KU': 1}


def good_value(name, dtype):
    if name in OPTIONS:
        return Arg(OPTIONS[name])
    if name in DIMS:
        return DIMS[name]
    if name.startswith('LD'):
        return 3  # >= max(1, M, N, K) and >= KL + KU + 1
    if name.startswith('INC'):
        return 1
    if name in ('ALPHA', 'BETA'):
        return np.ones(1, dtype)
    return np.zeros(64, dtype)


def bad_value(name):
    """An illegal value for a checked argument, None for one that is not checked."""
    if name in OPTIONS:
        return Arg('X')
    if name in DIMS:
        return -1
    if name.startswith('LD'):
        return 1  # below max(1, 2) and below K + 1, KL + KU + 1
    if name.startswith('INC'):
        return 0
    return None


def cases(routine, names, dtype):
    names = names.split()
    good = [good_value(n, dtype) for n in names]
    for i, name in enumerate(names):
        bad = bad_value(name)
        if bad is None:
            continue
        args = list(good)
        args[i] = bad
        yield (routine, i + 1, args, False)


def illegal(t):
    found = []
    for base, names in {**LEVEL2, **LEVEL3}.items():
        found += cases('D' + base, names, np.float64)
        if base in ('GEMV', 'GEMM', 'TRSM', 'SYRK'):
            found += cases('Z' + base, names, np.complex128)
    for base, real in COMPLEX.items():
        found += cases('Z' + base, {**LEVEL2, **LEVEL3}[real], np.complex128)
    # Complex SYRK takes TRANS = 'N' or 'T', HERK 'N' or 'C'.
    z = np.zeros(64, np.complex128)
    one = np.ones(1, np.complex128)
    found.append(('ZHERK', 2, [Arg('U'), Arg('T'), 2, 2, one, z, 2, one, z, 2], False))
    found.append(('ZSYRK', 2, [Arg('U'), Arg('C'), 2, 2, one, z, 2, one, z, 2], False))
    return found


def run(t):
    """Nothing to compare here: the cases run in run.py's error child."""
