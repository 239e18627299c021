"""xGEHRD and xORGHR/xUNGHR against reference LAPACK. Our GEHRD's output is also fed to
the reference's ORGHR (and the reference's GEHRD output to ours), which proves the
storage contract (reflectors below the subdiagonal, TAU), not only the arithmetic.
Orders above 160 cross the blocked path (panels of 32 while more than 128 columns
remain)."""

import numpy as np
from common import DTYPES, THRESH, eps, ratio

# (n, ilo, ihi): 1-based as LAPACK takes them.
CASES = [(0, 1, 0), (1, 1, 1), (2, 1, 2), (3, 2, 2), (5, 1, 5), (10, 1, 10), (10, 3, 8),
         (10, 1, 1), (33, 1, 33), (33, 5, 30), (64, 1, 64), (161, 1, 161), (200, 1, 200),
         (200, 7, 190), (300, 1, 300)]


def orghr_name(p):
    return f'{p}orghr_' if p in 'sd' else f'{p}unghr_'


def balanced_like(t, n, ilo, ihi, dtype):
    """A random matrix already upper triangular outside rows/columns ilo..ihi, as
    xGEBAL leaves it (GEHRD's precondition)."""
    a = t.random(n, n, dtype)[1].copy()
    for j in range(n):
        for i in range(j + 1, n):
            if j < ilo - 1 or i > ihi - 1:
                a[i, j] = 0
    return np.asfortranarray(a)


def gehrd(t, lib, p, a, ilo, ihi, ld, lwork=None):
    n = a.shape[0]
    full = np.full((ld, n), 3.0, dtype=a.dtype, order='F')
    full[:n] = a
    tau = np.full(max(n - 1, 1), 7.0, dtype=a.dtype)
    work = np.zeros(max(n, 1) * 64 + 4160, dtype=a.dtype)
    info = t.call(lib, f'{p}gehrd_', n, ilo, ihi, full, ld, tau, work, lwork or len(work), 0)[-1]
    return full, tau, info


def orghr(t, lib, p, factor, tau, ilo, ihi, n, lwork=None):
    q = np.asfortranarray(factor[:n, :n].copy())
    work = np.zeros(max(n, 1) * 64, dtype=factor.dtype)
    info = t.call(lib, orghr_name(p), n, ilo, ihi, q, max(1, n), tau, work, lwork or len(work), 0)[-1]
    return q, info


def hessenberg_case(t, p, n, ilo, ihi, a, name, ld_extra=0):
    dtype = DTYPES[p]
    ld = max(1, n + ld_extra)
    label = f'{p}gehrd n={n} ilo={ilo} ihi={ihi} {name}' + (f' lda={ld}' if ld_extra else '')
    mine, tau, info = gehrd(t, t.ours, p, a, ilo, ihi, ld)
    theirs, tau_ref, ref_info = gehrd(t, t.ref, p, a, ilo, ihi, ld)
    t.check(f'{label}: INFO', info == ref_info == 0, f'ours {info}, reference {ref_info}')
    t.check(f'{label}: rows below n untouched', np.array_equal(mine[n:], theirs[n:]) and (mine[n:] == 3.0).all())
    if n > 1:
        outside = np.r_[0:ilo - 1, max(ihi - 1, 0):n - 1]
        t.check(f'{label}: TAU zero outside ilo..ihi-1', (tau[outside] == 0).all(), str(tau[outside]))
    if not n or not np.isfinite(a).all():
        if not np.isfinite(a).all():
            t.check(f'{label}: NaN/Inf propagated', not np.isfinite(mine[:n]).all())
        return
    h = np.triu(mine[:n], -1)
    # H is not forward-stable (its trailing entries move with the rounding), so it is
    # compared entrywise only on small well-conditioned inputs; its invariants always.
    if n <= 10 and name == 'random':
        d = ratio(h - np.triu(theirs[:n], -1), a, n, dtype)
        t.check(f'{label}: H as the reference', d < THRESH, f'ratio {d:.3g}')
        tr = np.max(np.abs(tau[:n - 1] - tau_ref[:n - 1])) / eps(dtype) if n > 1 else 0
        t.check(f'{label}: TAU as the reference', tr < THRESH * n, f'{tr:.3g} ulp')
    scale = n * eps(dtype) * max(np.linalg.norm(a.astype(np.complex128)), 1e-300)
    dtrace = abs(np.trace(h.astype(np.complex128)) - np.trace(a.astype(np.complex128))) / scale
    dfrob = abs(np.linalg.norm(h.astype(np.complex128)) - np.linalg.norm(a.astype(np.complex128))) / scale
    t.check(f'{label}: trace and Frobenius norm kept', dtrace < THRESH and dfrob < THRESH, f'{dtrace:.3g} {dfrob:.3g}')
    t.check(f'{label}: A untouched outside ilo..ihi below the diagonal',
            np.array_equal(np.tril(mine[:n, :ilo - 1], -1), np.tril(a[:, :ilo - 1], -1)))
    for lib, who in [(t.ours, 'our'), (t.ref, 'reference')]:
        q, qinfo = orghr(t, lib, p, mine, tau, ilo, ihi, n)
        qc = q.astype(np.complex128)
        res = ratio(qc @ h @ qc.conj().T - a, a, n, dtype)
        t.check(f'{label}: A = Q H Q^H with {who} ORGHR', qinfo == 0 and res < THRESH, f'INFO {qinfo}, ratio {res:.3g}')
        orth = ratio(qc.conj().T @ qc - np.eye(n), 1.0, n, dtype)
        t.check(f'{label}: Q^H Q = I with {who} ORGHR', orth < THRESH, f'ratio {orth:.3g}')


def orghr_case(t, p, n, ilo, ihi):
    """Our ORGHR on the reference's GEHRD output equals the reference's ORGHR."""
    dtype = DTYPES[p]
    a = balanced_like(t, n, ilo, ihi, dtype)
    factor, tau, _ = gehrd(t, t.ref, p, a, ilo, ihi, max(1, n))
    mine, info = orghr(t, t.ours, p, factor, tau, ilo, ihi, n)
    theirs, ref_info = orghr(t, t.ref, p, factor, tau, ilo, ihi, n)
    label = f'{orghr_name(p)[:-1]} n={n} ilo={ilo} ihi={ihi}'
    t.check(f'{label}: INFO', info == ref_info == 0, f'{info} {ref_info}')
    d = ratio(mine - theirs, 1.0, max(n, 1), dtype)
    t.check(f'{label}: as the reference', d < THRESH, f'ratio {d:.3g}')


def query_case(t, p):
    """LWORK = -1 answers at least the reference's size; the documented minimum works."""
    dtype = DTYPES[p]
    n = 40
    a = np.zeros((n, n), dtype=dtype, order='F')
    tau = np.zeros(n, dtype=dtype)
    for routine, minimum in [(f'{p}gehrd_', n), (orghr_name(p), n - 1)]:
        sizes = []
        for lib in (t.ours, t.ref):
            w = np.zeros(1, dtype=dtype)
            t.call(lib, routine, n, 1, n, a, n, tau, w, -1, 0)
            sizes.append(w[0].real)
        t.check(f'{routine} query', sizes[0] >= max(sizes[1], minimum), f'ours {sizes[0]}, reference {sizes[1]}')
    b = balanced_like(t, n, 1, n, dtype)
    mine, tau, info = gehrd(t, t.ours, p, b, 1, n, n, lwork=n)
    t.check(f'{p}gehrd with the minimum LWORK', info == 0, f'INFO {info}')
    q, info = orghr(t, t.ours, p, mine, tau, 1, n, n, lwork=n - 1)
    t.check(f'{orghr_name(p)} with the minimum LWORK', info == 0, f'INFO {info}')


def run(t):
    for p, dtype in DTYPES.items():
        for n, ilo, ihi in CASES:
            a = balanced_like(t, n, ilo, ihi, dtype)
            hessenberg_case(t, p, n, ilo, ihi, a, 'random')
            if n in (10, 200):
                hessenberg_case(t, p, n, ilo, ihi, a, 'random', ld_extra=3)
            orghr_case(t, p, n, ilo, ihi)
        big = 1e5 if p in 'sc' else 1e13
        for n in (40, 180):
            graded = t.with_singular_values(n, n, dtype, np.geomspace(1, 1 / big, n))
            hessenberg_case(t, p, n, 1, n, graded, f'cond {big:g}')
            singular = t.with_singular_values(n, n, dtype, np.r_[np.ones(n // 2), np.zeros(n - n // 2)])
            hessenberg_case(t, p, n, 1, n, singular, 'singular')
            hessenberg_case(t, p, n, 1, n, np.zeros((n, n), dtype=dtype, order='F'), 'zero matrix')
        for bad in [np.nan, np.inf]:
            a = t.random(30, 30, dtype)[1].copy()
            a[5, 7] = bad
            hessenberg_case(t, p, 30, 1, 30, np.asfortranarray(a), f'{bad} inside')
        query_case(t, p)


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    tau = np.zeros(4)
    w = np.zeros(16)
    cases = []
    for routine in ('DGEHRD', 'DORGHR'):
        cases += [
            (routine, 1, [-1, 1, 0, a, 1, tau, w, 16, 0]),
            (routine, 2, [3, 0, 3, a, 3, tau, w, 16, 0]),
            (routine, 2, [3, 4, 3, a, 3, tau, w, 16, 0]),
            (routine, 3, [3, 2, 1, a, 3, tau, w, 16, 0]),
            (routine, 3, [3, 1, 4, a, 3, tau, w, 16, 0]),
            (routine, 5, [3, 1, 3, a, 2, tau, w, 16, 0]),
            (routine, 8, [4, 1, 4, a, 4, tau, w, 2, 0]),
        ]
    return cases
