"""xGEES against reference LAPACK: the Schur form (quasi-triangular with LAPACK's
standardized 2 x 2 blocks for real types), A = Z T Z^H, Z unitary, the eigenvalues,
and with SORT = 'S' the selected eigenvalues leading T, SDIM and INFO as the
reference's. SELECT is a ctypes callback with the Fortran signature (arguments by
reference, LOGICAL result)."""

import ctypes
import numpy as np
from common import DTYPES, THRESH, eps, ratio, real_dtype

C_REAL = {'s': ctypes.c_float, 'd': ctypes.c_double, 'c': ctypes.c_float, 'z': ctypes.c_double}

# Who SELECT picks: eigenvalues in the open left half-plane, or none/all.
RULES = {
    'left': lambda re, im: re < 0,
    'upper': lambda re, im: im > 0 or (im == 0 and re > 0.3),
    'none': lambda re, im: False,
}


def select_callback(p, rule):
    """A Fortran LOGICAL FUNCTION SELECT(WR, WI) (real) or SELECT(W) (complex)."""
    r = C_REAL[p]
    if p in 'sd':
        proto = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.POINTER(r), ctypes.POINTER(r))
        return proto(lambda wr, wi: int(bool(RULES[rule](wr[0], wi[0]))))
    proto = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.POINTER(r * 2))
    return proto(lambda w: int(bool(RULES[rule](w[0][0], w[0][1]))))


def ptr(a):
    return ctypes.c_void_p(a.ctypes.data)


def gees(lib, p, a, jobvs, sort, rule, lwork=None, ld_extra=0):
    """Runs xGEES on a copy of `a`; returns (T, Z, eigenvalues, SDIM, INFO, full A)."""
    n = a.shape[0]
    dtype = a.dtype
    ld = max(1, n + ld_extra)
    full = np.full((ld, max(n, 1)), 3.0, dtype=dtype, order='F')
    full[:n, :n] = a
    vs = np.full((ld, max(n, 1)), 5.0, dtype=dtype, order='F')
    work = np.zeros(max(1, 40 * n), dtype=dtype)
    rwork = np.zeros(max(1, n), dtype=real_dtype(dtype))
    bwork = np.zeros(max(1, n), dtype=np.int32)
    i32 = ctypes.c_int32
    sdim, info = i32(-7), i32(-7)
    callback = select_callback(p, rule)
    common = [ctypes.c_char_p(jobvs.encode()), ctypes.c_char_p(sort.encode()), callback,
              ctypes.byref(i32(n)), ptr(full), ctypes.byref(i32(ld)), ctypes.byref(sdim)]
    if p in 'sd':
        wr, wi = np.zeros(max(n, 1), dtype), np.zeros(max(n, 1), dtype)
        values = [ptr(wr), ptr(wi)]
    else:
        w = np.zeros(max(n, 1), dtype)
        values = [ptr(w)]
    rest = [ptr(vs), ctypes.byref(i32(ld)), ptr(work), ctypes.byref(i32(lwork or len(work)))]
    extra = [ptr(rwork)] if p in 'cz' else []
    fn = getattr(lib, f'{p}gees_')
    fn.restype = None
    fn(*common, *values, *rest, *extra, ptr(bwork), ctypes.byref(info), ctypes.c_size_t(1), ctypes.c_size_t(1))
    eig = (wr + 1j * wi)[:n] if p in 'sd' else w[:n]
    gees.work = work[0].real
    return full[:n, :n].copy(), vs[:n, :n].copy(), eig, sdim.value, info.value, full, vs


def standard_form_ok(p, t):
    """Quasi-triangular; a real 2 x 2 block has equal diagonal entries and
    off-diagonal entries of opposite signs; blocks do not touch."""
    n = t.shape[0]
    if np.any(np.tril(t, -2) != 0):
        return False
    if p in 'cz':
        return not np.any(np.tril(t, -1) != 0)
    k = 0
    while k < n - 1:
        if t[k + 1, k] != 0:
            if t[k, k] != t[k + 1, k + 1] or np.sign(t[k, k + 1]) * np.sign(t[k + 1, k]) >= 0:
                return False
            if k + 2 < n and t[k + 2, k + 1] != 0:
                return False
            k += 2
        else:
            k += 1
    return True


def same_spectrum(mine, theirs, scale, n, dtype):
    """Each of our eigenvalues matched to a distinct reference one within tolerance."""
    left = list(theirs)
    worst = 0.0
    for v in mine:
        d = [abs(v - u) for u in left]
        j = int(np.argmin(d))
        worst = max(worst, d[j])
        left.pop(j)
    return worst / (max(n, 1) * eps(dtype) * max(scale, np.finfo(np.float64).tiny))


def gees_case(t, p, a, name, jobvs='V', sort='N', rule='none', ld_extra=0, spectrum_tol=THRESH):
    n = a.shape[0]
    dtype = DTYPES[p]
    label = f'{p}gees n={n} {jobvs}{sort} {rule} {name}' + (f' lda+{ld_extra}' if ld_extra else '')
    tm, zm, em, sdim, info, full, vsfull = gees(t.ours, p, a, jobvs, sort, rule, ld_extra=ld_extra)
    tr, zr, er, sdim_ref, info_ref, *_ = gees(t.ref, p, a, jobvs, sort, rule, ld_extra=ld_extra)
    t.check(f'{label}: INFO', info == info_ref, f'ours {info}, reference {info_ref}')
    t.check(f'{label}: SDIM', sort == 'N' or sdim == sdim_ref, f'ours {sdim}, reference {sdim_ref}')
    if ld_extra:
        t.check(f'{label}: rows below n untouched', (full[n:] == 3.0).all() and (vsfull[n:] == 5.0).all())
    if n == 0 or info != 0 or not np.isfinite(a).all():
        return
    t.check(f'{label}: T in standard Schur form', standard_form_ok(p, tm))
    diag = np.diag(tm).astype(np.complex128)
    t.check(f'{label}: eigenvalues on the diagonal of T', np.allclose(em.real, diag.real, rtol=0, atol=0))
    anorm = np.linalg.norm(a.astype(np.complex128), 1)
    d = same_spectrum(em.astype(np.complex128), er.astype(np.complex128), anorm, n, dtype)
    t.check(f'{label}: eigenvalues as the reference', d < spectrum_tol, f'ratio {d:.3g}')
    if jobvs == 'V':
        zc, tc = zm.astype(np.complex128), tm.astype(np.complex128)
        res = ratio(zc @ tc @ zc.conj().T - a, a, n, dtype)
        t.check(f'{label}: A = Z T Z^H', res < THRESH, f'ratio {res:.3g}')
        orth = ratio(zc.conj().T @ zc - np.eye(n), 1.0, n, dtype)
        t.check(f'{label}: Z unitary', orth < THRESH, f'ratio {orth:.3g}')
    if sort == 'S':
        picked = [RULES[rule](v.real, v.imag) for v in em]
        if p in 'sd':
            # A conjugate pair counts as selected when either is.
            for k in range(n - 1):
                if em[k].imag != 0 and em[k].imag == -em[k + 1].imag:
                    picked[k] = picked[k + 1] = picked[k] or picked[k + 1]
        ok = all(picked[:sdim]) and not any(picked[sdim:])
        t.check(f'{label}: selected eigenvalues lead', ok, f'sdim {sdim} {picked}')
    else:
        t.check(f'{label}: SDIM = 0 without sorting', sdim == 0, str(sdim))


def with_isolated(t, n, dtype):
    """A matrix that xGEBAL's permutation reduces: zero rows and columns left of and
    below the diagonal outside a middle block, then permuted."""
    a = t.random(n, n, dtype)[1].copy()
    a[n - 2:, :n - 2] = 0
    a[n - 1, n - 2] = 0
    a[1:, 0] = 0
    perm = t.rng.permutation(n)
    return np.asfortranarray(a[np.ix_(perm, perm)])


def run(t):
    for p, dtype in DTYPES.items():
        for n in (0, 1, 2, 3, 4, 6, 10, 25, 60):
            a = t.random(n, n, dtype)[1]
            for jobvs in 'NV':
                gees_case(t, p, a, 'random', jobvs)
                for rule in ('left', 'upper'):
                    gees_case(t, p, a, 'random', jobvs, 'S', rule)
            gees_case(t, p, a, 'random', 'V', 'S', 'none')
        gees_case(t, p, t.random(12, 12, dtype)[1], 'random', 'V', 'S', 'left', ld_extra=3)
        # Past LAPACK's crossover to xLAQR0 (order 75): our small-bulge QR still converges.
        gees_case(t, p, t.random(150, 150, dtype)[1], 'random', 'V', 'S', 'left')
        # LDA a multiple of 1 KiB: the QR sweeps run on a copy with an odd leading dimension.
        gees_case(t, p, t.random(256, 256, dtype)[1], 'random, LDA = 256', 'V', 'S', 'left')
        # The multishift QR with aggressive early deflation (real types from order 256),
        # with and without Schur vectors, sorted, and on the block balancing isolates.
        big = t.random(400, 400, dtype)[1]
        for jobvs in 'NV':
            gees_case(t, p, big, 'random 400', jobvs)
        gees_case(t, p, big, 'random 400', 'V', 'S', 'upper')
        gees_case(t, p, with_isolated(t, 300, dtype), 'permutable 300', 'V', 'S', 'left')
        for n in (8, 20):
            b = with_isolated(t, n, dtype)
            gees_case(t, p, b, 'permutable', 'V')
            gees_case(t, p, b, 'permutable', 'V', 'S', 'left')
        tiny, huge = (1e-30, 1e30) if p in 'sc' else (1e-290, 1e290)
        base = t.random(10, 10, dtype)[1]
        for factor in (tiny, huge):
            scaled = np.asfortranarray((base * factor).astype(dtype))
            gees_case(t, p, scaled, f'scaled {factor:g}', 'V')
            gees_case(t, p, scaled, f'scaled {factor:g}', 'V', 'S', 'left')
        # Multiple and clustered eigenvalues: a Jordan-like block and a rotation.
        jordan = np.asfortranarray((np.eye(8, k=1) + 0.5 * np.eye(8)).astype(dtype))
        gees_case(t, p, jordan, 'jordan block', 'V', 'S', 'upper', spectrum_tol=1e16)
        rot = np.zeros((6, 6), dtype=dtype, order='F')
        for k in range(0, 6, 2):
            rot[k, k + 1], rot[k + 1, k] = 1, -1
        gees_case(t, p, rot, 'rotations', 'V', 'S', 'upper')
        gees_case(t, p, np.zeros((5, 5), dtype=dtype, order='F'), 'zero matrix', 'V', 'S', 'left')
        for bad in (np.nan, np.inf):
            a = t.random(6, 6, dtype)[1].copy()
            a[2, 3] = bad
            gees_case(t, p, np.asfortranarray(a), f'{bad} inside', 'V')
        query_case(t, p)


def query_case(t, p):
    """LWORK = -1 answers at least the reference's size; the documented minimum works."""
    dtype = DTYPES[p]
    n = 30
    a = t.random(n, n, dtype)[1]
    sizes = []
    for lib in (t.ours, t.ref):
        *_, info, _, _ = gees(lib, p, a, 'V', 'S', 'left', lwork=-1)
        sizes.append(gees.work)
    minimum = 3 * n if p in 'sd' else 2 * n
    t.check(f'{p}gees query', info == 0 and sizes[0] >= max(sizes[1], minimum), f'ours {sizes[0]}, reference {sizes[1]}')
    *_, info, _, _ = gees(t.ours, p, a, 'V', 'S', 'left', lwork=minimum)
    t.check(f'{p}gees with the minimum LWORK', info == 0, f'INFO {info}')
    *_, info, _, _ = gees(t.ours, p, a, 'V', 'S', 'left', lwork=minimum - 1)
    t.check(f'{p}gees with LWORK below the minimum', info == (-13 if p in 'sd' else -12), f'INFO {info}')


def illegal(t):
    """(routine, bad position, arguments); SELECT is never called on these."""
    from common import Arg
    a = np.zeros((4, 4), order='F')
    v = np.zeros(4)
    w = np.zeros(64)
    sel = np.zeros(1)
    b = np.zeros(4, np.int32)

    def args(jobvs='V', sort='N', n=3, lda=3, ldvs=3, lwork=64):
        return [Arg(jobvs), Arg(sort), sel, n, a, lda, 0, v, v, a, ldvs, w, lwork, b, 0]
    return [
        ('DGEES', 1, args(jobvs='X')),
        ('DGEES', 2, args(sort='X')),
        ('DGEES', 4, args(n=-1)),
        ('DGEES', 6, args(lda=2)),
        ('DGEES', 11, args(ldvs=2)),
        ('DGEES', 11, args(jobvs='N', ldvs=0)),
        ('DGEES', 13, args(lwork=8)),
    ]
