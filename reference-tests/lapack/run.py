#!/usr/bin/python3
"""Every native LAPACK routine against the system's reference LAPACK.

  reference-tests/lapack/run.py --lib target/release/liblapack_ai.so [--only potrf] [-v]

Each test_*.py module checks its routines on random, ill-conditioned, singular,
NaN/Inf-containing, zero-size, 1x1, tall, wide and lda > m inputs: same INFO as the
reference, residuals and orthogonality within Netlib's threshold, nothing written
outside the documented outputs. Illegal arguments are tried in a child process with
our library preloaded (so that our XERBLA, which returns, is the one bound): INFO must
be -position and the message must name the routine and the argument.
Ends with "N passed, M failed".
"""

import argparse
import ctypes
import importlib
import json
import os
import pathlib
import subprocess
import sys

import common

HERE = pathlib.Path(__file__).resolve().parent


def modules(only):
    names = sorted(p.stem for p in HERE.glob('test_*.py'))
    return [importlib.import_module(n) for n in names if not only or only in n]


def error_child(lib, only):
    """In the child: run each module's `illegal(t)` cases on our library; print the
    messages XERBLA must have written, one per line, for the parent to look for."""
    ours = ctypes.CDLL(lib)
    t = common.Tally(ours, None)
    expected = []
    for module in modules(only):
        for routine, position, args in getattr(module, 'illegal', lambda t: [])(t):
            info = t.call(ours, routine.lower() + '_', *args)[-1]
            t.check(f'{routine} argument {position}: INFO', info == -position, f'INFO = {info}')
            expected.append(f'{routine.upper()}: argument {position}')
    for line in expected:
        print('EXPECT', line)
    print(f'CHILD {t.passed} {t.failed}')


def check_all_native_ran(t, ours, only):
    """Every LAPACK name listed as native (symbols/native/lapack-*.txt) was exercised
    above and ran in our code: our telemetry counted it (a forwarded name is never
    counted, so this also proves it was not forwarded)."""
    ours.lapack_ai_stats_json.restype = ctypes.c_void_p
    raw = ours.lapack_ai_stats_json()
    stats = json.loads(ctypes.string_at(raw).decode())
    ours.lapack_ai_free_string(ctypes.c_void_p(raw))
    called = {r['routine'] for r in stats['routines'] if r['calls'] > 0}
    for listing in sorted((HERE.parent.parent / 'symbols' / 'native').glob('lapack-*.txt')):
        if only and only not in listing.stem:
            continue
        for line in listing.read_text().splitlines():
            name = line.strip()
            if name and not name.startswith('#'):
                routine = name.rstrip('_').upper()
                t.check(f'{routine} ran natively', routine in called, 'not counted by our telemetry')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--lib', required=True)
    ap.add_argument('--only')
    ap.add_argument('-v', '--verbose', action='store_true')
    ap.add_argument('--error-child', action='store_true', help=argparse.SUPPRESS)
    args = ap.parse_args()
    lib = str(pathlib.Path(args.lib).resolve())
    if args.error_child:
        return error_child(lib, args.only)

    ours = ctypes.CDLL(lib, mode=os.RTLD_LOCAL)
    ref = ctypes.CDLL(common.REFERENCE_LAPACK, mode=os.RTLD_LOCAL)
    t = common.Tally(ours, ref, args.verbose)
    for module in modules(args.only):
        before = (t.passed, t.failed)
        module.run(t)
        print(f'{module.__name__}: {t.passed - before[0]} passed, {t.failed - before[1]} failed'
              .replace(' passed, ', ' ok, ').replace(' failed', ' bad'))

    check_all_native_ran(t, ours, args.only)

    # Illegal arguments, in a child with our library preloaded.
    env = dict(os.environ, LD_PRELOAD=lib)
    cmd = [sys.executable, __file__, '--lib', lib, '--error-child']
    if args.only:
        cmd += ['--only', args.only]
    child = subprocess.run(cmd, env=env, capture_output=True, text=True)
    out = child.stdout.splitlines()
    counts = [l.split()[1:] for l in out if l.startswith('CHILD ')]
    t.check('error child exits normally', child.returncode == 0 and counts,
            f'status {child.returncode}: {child.stderr[-2000:]}')
    if counts:
        t.passed += int(counts[0][0])
        t.failed += int(counts[0][1])
        for line in out:
            if line.startswith('FAIL'):
                print(line)
    for line in (l[7:] for l in out if l.startswith('EXPECT ')):
        t.check(f'message "{line}"', line in child.stderr, 'not in stderr')
    print(f'{t.passed} passed, {t.failed} failed')
    return 0 if t.failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
