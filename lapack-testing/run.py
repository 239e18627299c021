#!/usr/bin/python3
"""Run Debian's build of the Netlib BLAS / CBLAS / LAPACK test suite against a
shared library and count the tests that pass and fail.

  run.py --mode replacement --lib target/release/liblapack_ai.so
  run.py --mode preload --lib target/release/liblapack_ai.so --only xeigtstd
  run.py --mode replacement --blas /usr/lib/x86_64-linux-gnu/blas/libblas.so.3 \\
         --lapack /usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3   # reference

Needs the Debian 12 packages libblas-test and liblapack-test.  Standard
library only; run it with /usr/bin/python3.  See README.md.
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BLAS_DIR = '/usr/lib/x86_64-linux-gnu/blas'
LAPACK_DIR = '/usr/lib/x86_64-linux-gnu/lapack'

# ---------------------------------------------------------------------------
# What to run: (program, stdin file or None, output family)
# ---------------------------------------------------------------------------

# Inputs of xeigtst?, "{p}" = precision letter.  This is LAPACK's
# TESTING/CMakeLists.txt list plus se2.in, which LAPACK 3.11's TESTING/Makefile
# and lapack_testing.py also run.
EIG_INPUTS = ['nep', 'sep', 'se2', 'svd', '{p}ec', '{p}ed', '{p}gg', '{p}gd',
              '{p}sb', '{p}sg', '{p}bal', '{p}bak', '{p}gbal', '{p}gbak',
              '{p}bb', 'glm', 'gqr', 'gsv', 'csd', 'lse']


def test_table():
    """All (program, input, family) triples: 24 BLAS/CBLAS + 90 LAPACK runs."""
    table = []
    for p in 'sdcz':
        table += [
            (f'xblat1{p}', None, 'blas1'),             # Fortran BLAS, level 1
            (f'xblat2{p}', f'{p}blat2.in', 'blas23'),  # report goes to a file
            (f'xblat3{p}', f'{p}blat3.in', 'blas23'),  #   named in the .in
            (f'x{p}cblat1', None, 'blas1'),            # CBLAS, level 1
            (f'x{p}cblat2', f'{p}in2', 'blas23'),
            (f'x{p}cblat3', f'{p}in3', 'blas23'),
        ]
    for p in 'sdcz':
        table += [(f'xlintst{p}', f'{p}test.in', 'lapack'),
                  (f'xlintstrf{p}', f'{p}test_rfp.in', 'lapack')]
        table += [(f'xeigtst{p}', name.format(p=p) + '.in', 'lapack')
                  for name in EIG_INPUTS]
    table += [('xlintstds', 'dstest.in', 'lapack'),    # mixed precision
              ('xlintstzc', 'zctest.in', 'lapack')]
    return table


# Number of "Test of subprogram number" blocks each level-1 tester prints
# (they print no end-of-tests footer; LAPACK 3.11).
BLAS1_BLOCKS = {'xblat1s': 13, 'xblat1d': 13, 'xblat1c': 10, 'xblat1z': 10,
                'xscblat1': 10, 'xdcblat1': 10, 'xccblat1': 10, 'xzcblat1': 10}


def program_dir(program):
    return BLAS_DIR if 'blat' in program else LAPACK_DIR


def run_id(program, infile):
    """Unique name of one program run, e.g. xeigtstd_dgg."""
    if infile is None:
        return program
    return program + '_' + re.sub(r'\.in$', '', infile)


def suite_part(program):
    if 'cblat' in program:
        return 'CBLAS'
    if 'blat' in program:
        return 'BLAS'
    return 'LAPACK eig' if program.startswith('xeigtst') else 'LAPACK lin'


# ---------------------------------------------------------------------------
# Parsers, one per output family: text -> Counts
# ---------------------------------------------------------------------------

class Counts:
    def __init__(self):
        self.run = 0            # tests run (passed + failed)
        self.failed = 0         # tests failed
        self.complete = False   # the program's end-of-run footer was seen
        self.bad_lines = []     # output lines that report failures
        self.details = []       # lines about individual failing tests (-v)

    def add(self, run, failed=0, line=None):
        self.run += run
        self.failed += failed
        if failed and line is not None:
            self.bad_lines.append(line)


def parse_blas1(text, program):
    """xblat1? and x?cblat1: one test per "Test of subprogram number" block,
    passed iff the block prints "----- PASS -----" (a failing block prints
    "FAIL" and a table of the failing cases).  These print no footer: the run
    is complete when all expected blocks are there."""
    c = Counts()
    blocks = re.split(r'^ Test of subprogram number', text, flags=re.M)[1:]
    for block in blocks:
        lines = block.splitlines()
        passed = '----- PASS -----' in block
        c.add(1, 0 if passed else 1, 'Test of subprogram number' + lines[0])
        if not passed:
            c.details += [l for l in lines[1:] if l.strip()][:20]
    c.complete = len(blocks) >= BLAS1_BLOCKS.get(program, 1)
    return c


def parse_blas23(text, program):
    """xblat2?, xblat3? (Fortran) and x?cblat2, x?cblat3 (CBLAS):
      "R PASSED THE [ROW-MAJOR ]COMPUTATIONAL TESTS ( n CALLS)"  n passed
      "R COMPLETED THE ... TESTS ( n CALLS)" + "...SUSPECT ***"   n run, 1 failed
      "R FAILED ON CALL NUMBER:" + " nc: R(...)" (fatal, R given up) nc run, 1 failed
      "R PASSED / FAILED THE TESTS OF ERROR-EXITS"                  1 test
    Footer: "END OF TESTS"."""
    c = Counts()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.search(r'(PASSED|COMPLETED) THE (?:[\w-]+ +)?COMPUTATIONAL TESTS \(\s*(\d+) CALLS\)', line)
        if m:
            c.add(int(m[2]), int(m[1] == 'COMPLETED'), line)
        elif 'FAILED ON CALL NUMBER' in line:
            m = re.match(r'\s*(\d+):', lines[i + 1]) if i + 1 < len(lines) else None
            c.add(int(m[1]) if m else 1, 1, line)
            if m:
                c.bad_lines.append(lines[i + 1])
        elif 'PASSED THE TESTS OF ERROR-EXITS' in line:
            c.add(1)
        elif 'FAILED THE TESTS OF ERROR-EXITS' in line:
            c.add(1, 1, line)
        elif re.search(r'SUSPECT|FATAL', line):
            c.bad_lines.append(line)
        elif re.search(r'NOT DETECTED|XERBLA WAS CALLED|WAS NOT TESTED|NOT RECOGNIZED', line):
            c.details.append(line)
    c.complete = 'END OF TESTS' in text
    return c


# LAPACK summary lines: (regex, function of the match -> (run, failed)).
# The first matching rule counts a line.
LAPACK_RULES = [
    # alasum & co.: "XXX: N out of M tests failed to pass the threshold";
    # RFP conversion: "RFP conversion routines: N out of M error message recorded"
    (r'(\d+) out of\s+(\d+) (?:tests failed|error message)', lambda m: (int(m[2]), int(m[1]))),
    # "All tests for XXX [routines|drivers] passed the threshold ( M tests run)"
    (r'\(\s*(\d+) tests run\)', lambda m: (int(m[1]), 0)),
    # INFO / illegal-value errors the testers log besides the threshold tests
    (r'(\d+) error messages? recorded', lambda m: (int(m[1]), int(m[1]))),
    # one error-exit block (a routine group), with or without "( k tests done)"
    (r'passed the tests of (?:the )?error (?:exits|bounds)', lambda m: (1, 0)),
    (r'failed the tests of (?:the )?error exits', lambda m: (1, 1)),
    # xCHKEQ (GEEQU GBEQU POEQU PPEQU PBEQU): all pass -> 5, else one line each
    (r'All tests for \w\wEQ routines passed the threshold\s*$', lambda m: (5, 0)),
    (r'EQU failed test with value', lambda m: (1, 1)),
    # xCHKEC (sec.in...): on any failure the "tests run" line is not printed
    (r'Error in \w+: +(\d+) tests fail the threshold', lambda m: (int(m[1]), int(m[1]))),
    (r'compute an inconsistent \w+ factor in +(\d+) tests', lambda m: (int(m[1]), int(m[1]))),
    (r'Error in \w+: RMAX =', lambda m: (0, 1)),   # next line: "LMAX = ... KNT= n"
    (r'^ LMAX = .*KNT=\s*(\d+)', lambda m: (int(m[1]), 0)),
    # xCHKBL/BK/GL/GK (?bal ?bak ?gbal ?gbak .in): no threshold on the error,
    # failures are examples with INFO != 0 or wrong ILO/IHI
    (r'total number of examples tested\s*=\s*(\d+)', lambda m: (int(m[1]), 0)),
    (r'number of examples where info is not 0\s*=\s*(\d+)', lambda m: (0, int(m[1]))),
]
LAPACK_RULES = [(re.compile(rx), f) for rx, f in LAPACK_RULES]

# Lines that mean something failed even if no rule counted a failure.
LAPACK_FAILURE_HINT = re.compile(
    r'fail|\*\*\*|error (?:code|in|message)|incorrect|illegal|not detected|INFO\s*=\s*-?[1-9]', re.I)
# Lines that describe one failing test (printed with -v).
LAPACK_DETAIL = re.compile(r'test\(\s*\d+\s*\)\s*=|result\s+\d+\s+is|test\s*=|ratio\s*=', re.I)


def parse_lapack(text, program):
    """xlintst?, xlintstrf?, xlintstds, xlintstzc, xeigtst?: see LAPACK_RULES.
    Footer: "End of tests"."""
    c = Counts()
    hinted = []
    for line in text.splitlines():
        for rx, count in LAPACK_RULES:
            m = rx.search(line)
            if m:
                c.add(*count(m), line)
                break
        else:
            if LAPACK_FAILURE_HINT.search(line):
                hinted.append(line)
            elif LAPACK_DETAIL.search(line):
                c.details.append(line)
    c.details = hinted + c.details
    if hinted and not c.failed:      # a failure no rule knows how to count
        c.add(1, 1, hinted[0])
    c.complete = re.search(r'^\s*End of tests', text, re.M) is not None
    return c


PARSERS = {'blas1': parse_blas1, 'blas23': parse_blas23, 'lapack': parse_lapack}


# ---------------------------------------------------------------------------
# Running one program
# ---------------------------------------------------------------------------

LOADER_ERROR = re.compile(r'error while loading shared libraries|symbol lookup error')
BACKTRACE = re.compile(r'\s*(#\d+ |at |Backtrace for this error)')
RUNNING = set()      # live test processes, killed on Ctrl-C


def kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return f'signal {number}'


class Result:
    def __init__(self, program, infile):
        self.program = program
        self.infile = infile
        self.id = run_id(program, infile)
        self.status = 'OK'   # OK FAIL CRASH TIMEOUT LOADERR EARLY
        self.detail = ''     # loader message, signal, exit status
        self.seconds = 0.0
        self.counts = Counts()
        self.missing = []    # undefined symbols (LOADERR)
        self.tail = []       # last lines of stdout/stderr (abnormal end)


def read_text(path, limit=64 << 20):
    with open(path, 'rb') as f:
        return f.read(limit).decode('latin-1')


def missing_symbols(exe, env):
    """All undefined symbols, the way `ldd -r` finds them (nothing is run)."""
    out = subprocess.run([exe], env=dict(env, LD_TRACE_LOADED_OBJECTS='1', LD_WARN='yes',
                                         LD_BIND_NOW='yes'),
                         stdin=subprocess.DEVNULL, capture_output=True, text=True)
    return re.findall(r'undefined symbol: (\S+)', out.stdout + out.stderr)


def run_one(program, infile, family, env, outdir, timeout):
    """Run one program in its own working directory outdir/<id>/ with stdout
    and stderr in outdir/<id>.out and .err.  Parse stdout plus the files the
    program wrote in its working directory (xblat2?/xblat3? write their
    report to the file named on the first line of their .in file)."""
    r = Result(program, infile)
    cwd = os.path.join(outdir, r.id)
    shutil.rmtree(cwd, ignore_errors=True)     # no stale files from a --keep DIR
    os.makedirs(cwd)
    out_path, err_path = cwd + '.out', cwd + '.err'
    exe = os.path.join(program_dir(program), program)
    stdin_path = os.path.join(program_dir(program), infile) if infile else os.devnull
    start = time.monotonic()
    with open(stdin_path, 'rb') as fin, open(out_path, 'wb') as fout, open(err_path, 'wb') as ferr:
        proc = subprocess.Popen([exe], stdin=fin, stdout=fout, stderr=ferr, cwd=cwd,
                                env=env, start_new_session=True)
        RUNNING.add(proc)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill(proc)
            proc.wait()
            rc = None
        RUNNING.discard(proc)
    r.seconds = time.monotonic() - start

    text = read_text(out_path)
    for name in sorted(os.listdir(cwd)):
        if os.path.isfile(os.path.join(cwd, name)):
            text += f'\n===== file {name} =====\n' + read_text(os.path.join(cwd, name))
    err = read_text(err_path)
    r.counts = PARSERS[family](text, program)

    loader = [l for l in err.splitlines() if LOADER_ERROR.search(l)]
    if rc is None:
        r.status, r.detail = 'TIMEOUT', f'killed after {timeout:g} s'
    elif loader:
        r.status, r.detail = 'LOADERR', loader[0].strip()
        r.missing = missing_symbols(exe, env)
    elif rc < 0:
        r.status, r.detail = 'CRASH', signal_name(-rc)
    elif rc != 0:
        r.status, r.detail = 'CRASH', f'exit status {rc}'
    elif not r.counts.complete:
        r.status, r.detail = 'EARLY', 'end-of-tests footer missing'
    elif r.counts.failed:
        r.status = 'FAIL'
    if r.status not in ('OK', 'FAIL'):
        r.tail = ([('stdout> ' + l) for l in text.splitlines() if l.strip()][-5:] +
                  [('stderr> ' + l) for l in err.splitlines()          # not gfortran's
                   if l.strip() and not BACKTRACE.match(l)][:8])      # backtrace
        if r.counts.failed == 0:       # an aborted program counts as a failure
            r.counts.add(1, 1)
    return r


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def make_env(args, libdir):
    env = dict(os.environ)
    # Unbuffered Fortran output: a crash then leaves the complete output.
    env['GFORTRAN_UNBUFFERED_ALL'] = 'y'
    if args.mode == 'replacement':
        blas = os.path.abspath(args.blas or args.lib)
        lapack = os.path.abspath(args.lapack or args.lib)
        for name, target in [('libblas.so.3', blas), ('libcblas.so.3', blas),
                             ('liblapack.so.3', lapack), ('liblapacke.so.3', lapack)]:
            os.symlink(target, os.path.join(libdir, name))
        old = env.get('LD_LIBRARY_PATH')
        env['LD_LIBRARY_PATH'] = libdir + (':' + old if old else '')
    elif args.mode == 'preload':
        old = env.get('LD_PRELOAD')
        env['LD_PRELOAD'] = os.path.abspath(args.lib) + (':' + old if old else '')
    for kv in args.env:
        key, _, value = kv.partition('=')
        env[key] = value
    return env


def loader_view(env, program='xlintstd'):
    """Which BLAS/LAPACK files the dynamic loader picks (like ldd)."""
    exe = os.path.join(program_dir(program), program)
    out = subprocess.run([exe], env=dict(env, LD_TRACE_LOADED_OBJECTS='1'),
                         stdin=subprocess.DEVNULL, capture_output=True, text=True).stdout
    return [l.strip() for l in out.splitlines() if re.search(r'blas|lapack|tmglib', l)]


def report(r, verbose):
    c = r.counts
    print(f'{r.program:10} {r.infile or "-":13} {c.run:8} run {c.failed:6} failed '
          f'{r.seconds:6.1f} s  {r.status}{"  " + r.detail if r.detail else ""}')
    if r.status == 'OK':
        return
    lines = c.bad_lines + (c.details if verbose else [])
    limit = 200 if verbose else 10
    for line in lines[:limit]:
        print('    | ' + line.strip())
    if len(lines) > limit:
        print(f'    | ... {len(lines) - limit} more (-v shows more; --keep keeps the output)')
    if r.missing:
        print(f'    missing symbols ({len(r.missing)}): ' + ' '.join(r.missing[:20]) +
              (' ...' if len(r.missing) > 20 else ''))
    for line in r.tail:
        print('    ' + line.rstrip())


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mode', choices=['replacement', 'preload', 'system'], default='replacement',
                    help='replacement: libblas.so.3/liblapack.so.3 (+ libcblas, liblapacke) are '
                         'symlinks to --lib, first on LD_LIBRARY_PATH; preload: LD_PRELOAD=--lib; '
                         'system: no change (default: replacement)')
    ap.add_argument('--lib', help='the library under test')
    ap.add_argument('--blas', help='replacement: libblas.so.3 and libcblas.so.3 point here instead')
    ap.add_argument('--lapack', help='replacement: liblapack.so.3 and liblapacke.so.3 point here instead')
    ap.add_argument('--env', action='append', default=[], metavar='KEY=VALUE',
                    help='extra environment for the test programs (repeatable)')
    ap.add_argument('--jobs', '-j', type=int, default=2, help='programs run at once (default 2)')
    ap.add_argument('--timeout', type=float, default=600, help='seconds per program (default 600)')
    ap.add_argument('--only', metavar='REGEX', help='run only the runs whose "program input" matches')
    ap.add_argument('--keep', metavar='DIR', help='keep each run\'s output in DIR')
    ap.add_argument('--list', action='store_true', help='list the runs and exit')
    ap.add_argument('-v', '--verbose', action='store_true', help='print all failing lines')
    args = ap.parse_args()

    table = test_table()
    if args.only:
        table = [t for t in table if re.search(args.only, f'{t[0]} {t[1] or "-"}')]
    if args.list:
        for program, infile, family in table:
            print(f'{program:10} {infile or "-":13} {family}')
        return 0
    if args.mode == 'replacement' and not (args.lib or (args.blas and args.lapack)):
        ap.error('replacement mode needs --lib (or both --blas and --lapack)')
    if args.mode == 'preload' and not args.lib:
        ap.error('preload mode needs --lib')
    for path in (args.lib, args.blas, args.lapack):
        if path and not os.path.isfile(path):
            ap.error(f'no such file: {path}')
    if not table:
        ap.error('--only selects nothing')

    tmp = tempfile.mkdtemp(prefix='lapack-testing-')
    libdir = os.path.join(tmp, 'lib')
    os.mkdir(libdir)
    outdir = os.path.abspath(args.keep) if args.keep else os.path.join(tmp, 'runs')
    os.makedirs(outdir, exist_ok=True)
    env = make_env(args, libdir)

    libs = f'lib {args.lib}' if args.lib else ''
    if args.blas or args.lapack:
        libs += f' blas {args.blas or args.lib} lapack {args.lapack or args.lib}'
    print(f'mode {args.mode} {libs}; env {" ".join(args.env) or "-"}; '
          f'{len(table)} runs, {args.jobs} at a time')
    for line in loader_view(env):
        print('  loader: ' + line)
    sys.stdout.flush()

    results = []
    started = time.monotonic()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs))
    try:
        futures = [pool.submit(run_one, program, infile, family, env, outdir, args.timeout)
                   for program, infile, family in table]
        for fut in concurrent.futures.as_completed(futures):
            results.append(fut.result())
            report(results[-1], args.verbose)
            sys.stdout.flush()
        pool.shutdown()
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list(RUNNING):
            kill(proc)
        print('interrupted')
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)   # --keep DIR is outside tmp

    print(f'\n{len(results)} runs in {time.monotonic() - started:.0f} s')
    for part in ['BLAS', 'CBLAS', 'LAPACK lin', 'LAPACK eig']:
        rs = [r for r in results if suite_part(r.program) == part]
        if rs:
            run, failed = sum(r.counts.run for r in rs), sum(r.counts.failed for r in rs)
            print(f'  {part:10} {len(rs):3} runs {run - failed:9} passed {failed:6} failed')
    bad = [r for r in results if r.status != 'OK']
    if bad:
        print('not OK: ' + ', '.join(f'{r.id} ({r.status} {r.counts.failed})' for r in bad))
    missing = sorted({s for r in results for s in r.missing})
    if missing:
        print(f'missing symbols ({len(missing)}): ' + ' '.join(missing))
    aborted = [r for r in results if r.status not in ('OK', 'FAIL')]
    total = sum(r.counts.run for r in results)
    failed = sum(r.counts.failed for r in results)
    print(f'{total - failed} passed, {failed} failed')
    return 0 if failed == 0 and not aborted else 1


if __name__ == '__main__':
    sys.exit(main())
