#!/usr/bin/python3
"""Every native LAPACK routine against the system's reference LAPACK.

  reference-tests/lapack/run.py --lib target/release/liblapack_ai.so [--only potrf] [-v]

Each test_*.py module checks its routines on random, ill-conditioned, singular,
NaN/Inf-containing, zero-size, 1x1, tall, wide and lda > m inputs: same INFO as the
reference, residuals and orthogonality within Netlib's threshold, nothing written
outside the documented outputs. Illegal arguments are tried in a child process with
our library preloaded (so that our XERBLA, which returns, is the one bound): INFO must
be -position, and the message (last error and stderr) must name the routine, the
argument, its value and the rule it broke.
Ends with "N passed, M failed".
"""

import argparse
import ctypes
import importlib
import json
import os
import pathlib
import re
import subprocess
import sys

import numpy as np

import common
from common import Arg

HERE = pathlib.Path(__file__).resolve().parent


def modules(only):
    names = sorted(p.stem for p in HERE.glob('test_*.py'))
    return [importlib.import_module(n) for n in names if not only or only in n]


def shown_value(arg):
    """How our message shows the value of argument `arg` ("-1", "'X'"), or None for
    an array (its offending entry is shown as NAME(i) = v)."""
    if isinstance(arg, Arg):
        return f"'{arg.char}'"
    if isinstance(arg, (int, np.integer)):
        return str(int(arg))
    if isinstance(arg, np.ndarray) and arg.size == 1 and arg.dtype.kind == 'f':
        x = float(arg.reshape(-1)[0])
        return str(int(x)) if x.is_integer() else repr(x)
    return None


def message_problem(routine, position, arg, text):
    """What is wrong with our message `text` for illegal argument `position` (passed as
    `arg`) of `routine`, or None: it must name the argument, show its value and state
    a rule, e.g. "DGESV: argument 4 (LDA = 3) must be >= max(1, N) = 5. ..."."""
    m = re.match(rf'{routine}: argument {position} \(([A-Z0-9]+)(\(\d+\))? = ([^)]*)\) (.*)$', text or '')
    if not m:
        return 'does not name the argument and its value'
    name, entry, value, rule = m.groups()
    expected = shown_value(arg)
    if expected is not None and value != expected:
        return f'shows {name} = {value}, but {expected} was passed'
    if expected is None and not entry:
        return f'does not say which entry of {name} is wrong'
    if not re.match(r'must |describes ', rule) or 'illegal value' in rule:
        return 'states no rule'
    if name.startswith('LD') and 'leading dimension' not in rule:
        return 'does not say what a leading dimension is'
    return None


def error_child(lib, only):
    """In the child: run each module's `illegal(t)` cases on our library; check INFO
    and the message recorded as the last error (value and rule); print the messages
    XERBLA must have written, one per line, for the parent to look for."""
    ours = ctypes.CDLL(lib)
    ours.lapack_ai_last_error.restype = ctypes.c_void_p
    t = common.Tally(ours, None)
    expected = []
    native = {line.strip() for listing in (HERE.parent.parent / 'symbols' / 'native').glob('*.txt')
              for line in listing.read_text().splitlines() if not line.startswith('#')}
    for module in modules(only):
        for case in getattr(module, 'illegal', lambda t: [])(t):
            # (routine, position, arguments[, False for routines without INFO: BLAS,
            # LASWP, the norm functions; their message must name the position]).
            routine, position, args = case[:3]
            what = f'{routine} argument {position}'
            info = t.call(ours, routine.lower() + '_', *args)[-1] if args else None
            if len(case) < 4 or case[3]:
                t.check(f'{what}: INFO', info == -position, f'INFO = {info}')
            raw = ours.lapack_ai_last_error()
            text = ctypes.string_at(raw).decode() if raw else None
            if raw:
                ours.lapack_ai_free_string(ctypes.c_void_p(raw))
            if routine.lower() + '_' in native:
                problem = message_problem(routine.upper(), position, args[position - 1], text)
            else:  # forwarded: the reference's XERBLA call gives only the position
                problem = None if (text or '').startswith(f'{routine.upper()}: argument {position}') \
                    else 'does not name the argument'
            t.check(f'{what}: message', problem is None, f'{problem}: {text!r}')
            expected.append(f'liblapack_ai: {text}' if text else f'{routine.upper()}: argument {position}')
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
