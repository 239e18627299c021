#!/usr/bin/python3
"""Run Debian's build of the Netlib BLAS / CBLAS / LAPACK test suite against a
shared library and count the tests that pass and fail.

Usage examples (see README.md):
  run.py --mode replacement --lib target/release/liblapack_ai.so
  run.py --mode preload --lib target/release/liblapack_ai.so --only xeigtstd
  run.py --mode replacement --blas /usr/lib/x86_64-linux-gnu/blas/libblas.so.3 \
         --lapack /usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3

Standard library only; meant for /usr/bin/python3 on Debian 12 with the
packages libblas-test and liblapack-test installed.
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
# The programs: (program, stdin file or None, parser family)
# ---------------------------------------------------------------------------

# Inputs of xeigtst?, in the order of LAPACK's TESTING/Makefile; "{p}" is the
# precision letter.  Same list as TESTING/CMakeLists.txt plus se2.in (which
# LAPACK 3.11's Makefile and lapack_testing.py run too).
EIG_INPUTS = ['nep', 'sep', 'se2', 'svd', '{p}ec', '{p}ed', '{p}gg', '{p}gd',
              '{p}sb', '{p}sg', '{p}bal', '{p}bak', '{p}gbal', '{p}gbak',
              '{p}bb', 'glm', 'gqr', 'gsv', 'csd', 'lse']


def test_table():
    """All (program, input, family) triples: 24 BLAS/CBLAS + 90 LAPACK."""
    table = []
    for p in 'sdcz':
        table += [
            (f'xblat1{p}', None, 'blas1'),            # Fortran BLAS level 1
            (f'xblat2{p}', f'{p}blat2.in', 'blas23'),  # output file named in .in
            (f'xblat3{p}', f'{p}blat3.in', 'blas23'),
            (f'x{p}cblat1', None, 'blas1'),           # CBLAS level 1
            (f'x{p}cblat2', f'{p}in2', 'blas23'),
            (f'x{p}cblat3', f'{p}in3', 'blas23'),
        ]
    for p in 'sdcz':
        table += [(f'xlintst{p}', f'{p}test.in', 'lapack'),
                  (f'xlintstrf{p}', f'{p}test_rfp.in', 'lapack')]
        table += [(f'xeigtst{p}', name.format(p=p) + '.in', 'lapack')
                  for name in EIG_INPUTS]
    table += [('xlintstds', 'dstest.in', 'lapack'),   # mixed precision
              ('xlintstzc', 'zctest.in', 'lapack')]
    return table


def program_dir(program):
    return BLAS_DIR if 'blat' in program else LAPACK_DIR


def run_id(program, infile):
    """Unique name of one program run, e.g. xeigtstd_dgg."""
    return program if infile is None else f'{program}_{infile[:-3] if infile.endswith(".in") else infile}'


# Number of "Test of subprogram" blocks the level-1 testers print (3.11).
BLAS1_SUBPROGRAMS = {'xblat1s': 13, 'xblat1d': 13, 'xblat1c': 10, 'xblat1z': 10,
                     'xscblat1': 10, 'xdcblat1': 10, 'xccblat1': 10, 'xzcblat1': 10}


# ---------------------------------------------------------------------------
# Parsers: text -> Counts.  One per output family.
# ---------------------------------------------------------------------------

class Counts:
    def __init__(self):
        self.run = 0          # tests run (passed + failed)
        self.failed = 0       # tests failed
        self.complete = False  # the program's end-of-run footer was seen
        self.bad_lines = []   # output lines that report a failure


def parse_blas1(text, program):
    """xblat1? / x?cblat1: one test per "Test of subprogram number" block; the
    block passed iff it prints "----- PASS -----".  No footer is printed, so
    completeness = the expected number of blocks, each one closed."""
    c = Counts()
    blocks = re.split(r'^ Test of subprogram number', text, flags=re.M)[1:]
    for block in blocks:
        c.run += 1
        if '----- PASS -----' not in block:
            c.failed += 1
            lines = block.splitlines()
            c.bad_lines.append('Test of subprogram number' + lines[0])
            c.bad_lines += [l for l in lines[1:] if l.strip()][:6]
    c.complete = len(blocks) >= BLAS1_SUBPROGRAMS.get(program, 1)
    return c


def parse_blas23(text, program):
    """xblat2?/xblat3? (Fortran) and x?cblat2/x?cblat3 (CBLAS).
      "<R> PASSED THE [ROW-MAJOR ]COMPUTATIONAL TESTS ( n CALLS)" -> n passed
      "<R> COMPLETED THE ... TESTS ( n CALLS)" + "SUSPECT" -> n run, 1 failed
      "<R> FAILED ON CALL NUMBER:" then " nc: ..." -> nc run, 1 failed
      "<R> PASSED/FAILED THE TESTS OF ERROR-EXITS" -> 1 test
    Footer: "END OF TESTS"."""
    c = Counts()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.search(r'PASSED THE (?:[\w-]+\s+)?COMPUTATIONAL TESTS \(\s*(\d+) CALLS\)', line)
        if m:
            c.run += int(m.group(1))
            continue
        m = re.search(r'COMPLETED THE (?:[\w-]+\s+)?COMPUTATIONAL TESTS \(\s*(\d+) CALLS\)', line)
        if m:
            c.run += int(m.group(1))
            c.failed += 1
            c.bad_lines += lines[i:i + 2]
            continue
        if 'FAILED ON CALL NUMBER' in line:
            m = re.match(r'\s*(\d+):', lines[i + 1]) if i + 1 < len(lines) else None
            c.run += int(m.group(1)) if m else 1
            c.failed += 1
            c.bad_lines += lines[max(0, i - 2):i + 2]
            continue
        if 'PASSED THE TESTS OF ERROR-EXITS' in line:
            c.run += 1
        elif 'FAILED THE TESTS OF ERROR-EXITS' in line:
            c.run += 1
            c.failed += 1
            c.bad_lines.append(line)
        elif re.search(r'FATAL ERROR|NOT DETECTED BY|XERBLA WAS CALLED', line):
            c.bad_lines.append(line)
    c.complete = 'END OF TESTS' in text
    return c


def parse_lapack(text, program):
    """xlintst?, xlintstrf?, xlintstds/zc, xeigtst?.
      "All tests for XXX passed the threshold ( M tests run)"   -> M passed
      "XXX: N out of M tests failed to pass the threshold"      -> M run, N failed
      "N error messages recorded" (INFO/illegal value errors)   -> N more failed
      "... passed the tests of [the] error exits"               -> 1 passed
      "... failed the tests of [the] error exits"               -> 1 failed
      ?GEBAL/?GEBAK/?GGBAL/?GGBAK (only "total number of examples tested = M"
      and "number of examples where info is not 0 = N")          -> M run, N failed
    Footer: "End of tests"."""
    c = Counts()
    for line in text.splitlines():
        m = re.search(r'\(\s*(\d+) tests run\)', line)
        if m:
            c.run += int(m.group(1))
            continue
        m = re.search(r'(\d+) out of\s+(\d+) tests failed', line)
        if m:
            c.run += int(m.group(2))
            c.failed += int(m.group(1))
            c.bad_lines.append(line)
            continue
        m = re.search(r'(\d+) error messages recorded', line)
        if m:
            c.run += int(m.group(1))
            c.failed += int(m.group(1))
            c.bad_lines.append(line)
            continue
        if re.search(r'passed the tests of (the )?error exits', line, re.I):
            c.run += 1
            continue
        if re.search(r'failed the tests of (the )?error exits', line, re.I):
            c.run += 1
            c.failed += 1
            c.bad_lines.append(line)
            continue
        m = re.search(r'total number of examples tested\s*=\s*(\d+)', line)
        if m:
            c.run += int(m.group(1))
            continue
        m = re.search(r'number of examples where info is not 0\s*=\s*(\d+)', line)
        if m:
            c.failed += int(m.group(1))
            if int(m.group(1)):
                c.bad_lines.append(line)
            continue
    c.complete = re.search(r'^\s*End of tests', text, re.M) is not None
    return c


PARSERS = {'blas1': parse_blas1, 'blas23': parse_blas23, 'lapack': parse_lapack}


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

class Result:
    def __init__(self, program, infile):
        self.program = program
        self.infile = infile
        self.id = run_id(program, infile)
        self.status = 'OK'    # OK FAIL CRASH TIMEOUT LOADERR EARLY
        self.detail = ''      # e.g. loader message or signal name
        self.seconds = 0.0
        self.counts = Counts()
        self.stderr_tail = []
        self.stdout_tail = []


def read_text(path, limit=64 << 20):
    with open(path, 'rb') as f:
        return f.read(limit).decode('latin-1')


def run_one(program, infile, family, env, outdir, timeout):
    """Run one program in its own working directory outdir/<id>/; stdout and
    stderr go to outdir/<id>.out / .err.  Parse stdout plus every file the
    program wrote in its working directory (BLAS 2/3 write their report to a
    file named in the .in file)."""
    r = Result(program, infile)
    cwd = os.path.join(outdir, r.id)
    os.makedirs(cwd, exist_ok=True)
    out_path, err_path = cwd + '.out', cwd + '.err'
    exe = os.path.join(program_dir(program), program)
    stdin_path = os.path.join(program_dir(program), infile) if infile else os.devnull
    start = time.monotonic()
    with open(stdin_path, 'rb') as fin, open(out_path, 'wb') as fout, open(err_path, 'wb') as ferr:
        proc = subprocess.Popen([exe], stdin=fin, stdout=fout, stderr=ferr, cwd=cwd,
                                env=env, start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            rc = None
    r.seconds = time.monotonic() - start

    text = read_text(out_path)
    for name in sorted(os.listdir(cwd)):
        path = os.path.join(cwd, name)
        if os.path.isfile(path):
            text += f'\n===== file {name} =====\n' + read_text(path)
    err = read_text(err_path)
    r.counts = PARSERS[family](text, program)
    r.stderr_tail = [l for l in err.splitlines() if l.strip()][-8:]
    r.stdout_tail = [l for l in text.splitlines() if l.strip()][-8:]

    if rc is None:
        r.status, r.detail = 'TIMEOUT', f'killed after {timeout} s'
    elif re.search(r'error while loading shared libraries|symbol lookup error', err):
        r.status = 'LOADERR'
        r.detail = next(l for l in err.splitlines()
                        if re.search(r'error while loading shared libraries|symbol lookup error', l))
    elif rc < 0:
        r.status, r.detail = 'CRASH', signal.Signals(-rc).name
    elif rc != 0:
        r.status, r.detail = 'CRASH', f'exit status {rc}'
    elif not r.counts.complete:
        r.status, r.detail = 'EARLY', 'no end-of-tests footer'
    elif r.counts.failed:
        r.status = 'FAIL'
    if r.status not in ('OK', 'FAIL') and r.counts.failed == 0:
        r.counts.failed = 1            # an aborted program counts as a failure
        r.counts.run += 1
    return r


def make_env(args, libdir):
    env = dict(os.environ)
    if args.mode == 'replacement':
        blas = os.path.abspath(args.blas or args.lib)
        lapack = os.path.abspath(args.lapack or args.lib)
        for name, target in [('libblas.so.3', blas), ('libcblas.so.3', blas),
                             ('liblapack.so.3', lapack), ('liblapacke.so.3', lapack)]:
            os.symlink(target, os.path.join(libdir, name))
        old = env.get('LD_LIBRARY_PATH')
        env['LD_LIBRARY_PATH'] = libdir + (':' + old if old else '')
    elif args.mode == 'preload':
        env['LD_PRELOAD'] = os.path.abspath(args.lib)
    for kv in args.env:
        key, _, value = kv.partition('=')
        env[key] = value
    return env


def loaded_libraries(env, program='xlintstd'):
    """What the dynamic loader resolves for one program (like ldd)."""
    exe = os.path.join(program_dir(program), program)
    out = subprocess.run([exe], env=dict(env, LD_TRACE_LOADED_OBJECTS='1'),
                         stdin=subprocess.DEVNULL, capture_output=True, text=True).stdout
    return [l.strip() for l in out.splitlines() if re.search(r'blas|lapack', l)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mode', choices=['replacement', 'preload', 'system'], default='replacement')
    ap.add_argument('--lib', help='library to test (replacement, preload)')
    ap.add_argument('--blas', help='replacement mode: libblas.so.3/libcblas.so.3 point here instead of --lib')
    ap.add_argument('--lapack', help='replacement mode: liblapack.so.3/liblapacke.so.3 point here instead of --lib')
    ap.add_argument('--env', action='append', default=[], metavar='KEY=VALUE',
                    help='extra environment for the test programs (repeatable)')
    ap.add_argument('--jobs', '-j', type=int, default=2, help='programs run in parallel (default 2)')
    ap.add_argument('--timeout', type=float, default=600, help='seconds per program (default 600)')
    ap.add_argument('--only', metavar='REGEX', help='run only programs whose "program input" matches')
    ap.add_argument('--keep', metavar='DIR', help='keep outputs in DIR (one folder per program run)')
    ap.add_argument('--list', action='store_true', help='list the program runs and exit')
    ap.add_argument('-v', '--verbose', action='store_true', help='print all failing lines')
    args = ap.parse_args()

    table = test_table()
    if args.only:
        table = [t for t in table if re.search(args.only, f'{t[0]} {t[1] or ""}')]
    if args.list:
        for program, infile, family in table:
            print(f'{program:10} {infile or "-":14} {family}')
        return 0
    if args.mode == 'replacement' and not ((args.blas and args.lapack) or args.lib):
        ap.error('replacement mode needs --lib (or both --blas and --lapack)')
    if args.mode == 'preload' and not args.lib:
        ap.error('preload mode needs --lib')
    for path in (args.lib, args.blas, args.lapack):
        if path and not os.path.isfile(path):
            ap.error(f'no such file: {path}')

    tmp = tempfile.mkdtemp(prefix='lapack-testing-')
    libdir = os.path.join(tmp, 'lib')
    os.mkdir(libdir)
    outdir = os.path.abspath(args.keep) if args.keep else os.path.join(tmp, 'runs')
    os.makedirs(outdir, exist_ok=True)
    env = make_env(args, libdir)

    print(f'mode {args.mode}; lib {args.lib or "-"}; {len(table)} program runs, {args.jobs} at a time')
    for line in loaded_libraries(env):
        print('  loader:', line)
    sys.stdout.flush()

    results = []
    started = time.monotonic()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(run_one, program, infile, family, env, outdir, args.timeout)
                       for program, infile, family in table]
            for fut in concurrent.futures.as_completed(futures):
                r = fut.result()
                results.append(r)
                report(r, args.verbose)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)  # only the symlink folder

    total = sum(r.counts.run for r in results)
    failed = sum(r.counts.failed for r in results)
    aborted = [r for r in results if r.status not in ('OK', 'FAIL')]
    failing = [r for r in results if r.status != 'OK']
    print(f'\n{len(results)} programs in {time.monotonic() - started:.0f} s; '
          f'{len(failing)} with failures, {len(aborted)} crashed/stopped early/timed out')
    for r in failing:
        print(f'  {r.id}: {r.status} {r.counts.failed} failed {r.detail}')
    print(f'{total - failed} passed, {failed} failed')
    return 0 if failed == 0 and not aborted else 1


def report(r, verbose):
    c = r.counts
    print(f'{r.program:10} {r.infile or "-":14} {c.run:9} run {c.failed:6} failed '
          f'{r.seconds:7.1f} s  {r.status}{"  " + r.detail if r.detail else ""}')
    if r.status != 'OK':
        limit = 200 if verbose else 12
        for line in c.bad_lines[:limit]:
            print('    | ' + line.rstrip())
        if len(c.bad_lines) > limit:
            print(f'    | ... {len(c.bad_lines) - limit} more failing lines')
        if r.status not in ('OK', 'FAIL'):
            for line in r.stdout_tail[-4:]:
                print('    stdout> ' + line.rstrip())
            for line in r.stderr_tail:
                print('    stderr> ' + line.rstrip())
    sys.stdout.flush()


if __name__ == '__main__':
    sys.exit(main())
