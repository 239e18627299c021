#!/usr/bin/env bash
# Telemetry of the built library, seen from C programs: the counters through
# lapack_ai_stats_json / lapack_ai_stats_reset, LAPACK_AI_VERBOSE lines,
# LAPACK_AI_TRACE JSON lines (and `lapack-ai report`, text and --html), LAPACK_AI_REPORT at
# exit, exit from another thread, dlclose, LAPACK_AI_METRICS (Prometheus endpoint and the
# dashboard in headless Chromium: dashboard.py) and `lapack-ai calibrate`.
# Screenshots and the HTML report are kept in target/test-artifacts/.
# Usage: reference-tests/telemetry/run.sh   (after cargo build --release)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/reference-tests/telemetry"
lib="$root/target/release/liblapack_ai.so"
cli="$root/target/release/lapack-ai"
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAILED: $1"; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@" >"$work/check" 2>&1; then pass "$what"; else fail "$what"; sed 's/^/    /' "$work/check" | head -20; fi; }

ln -s "$lib" "$work/liblapack_ai.so.0"
cc -O1 -I"$root/include" "$here/calls.c" -o "$work/calls" "$lib" -Wl,-rpath,"$work" -lpthread || { fail "build calls.c"; echo "$passed passed, $failed failed"; exit 1; }
cc -O1 "$here/unload.c" -o "$work/unload" -ldl || fail "build unload.c"
cc -O1 -I"$root/include" "$here/workload.c" -o "$work/workload" "$lib" -Wl,-rpath,"$work" -lpthread || fail "build workload.c"
artifacts="$root/target/test-artifacts"
mkdir -p "$artifacts"
unset LAPACK_AI_VERBOSE LAPACK_AI_TRACE LAPACK_AI_REPORT LAPACK_AI_METRICS LAPACK_AI_DEVICE LAPACK_AI_BACKEND

# --- counters through the C API (no logging: small calls are counted, not timed) ---
"$work/calls" > "$work/stats" 2> "$work/stats.err"
check "calls program runs, prints nothing on stderr by default" test ! -s "$work/stats.err"
cat > "$work/stats.py" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
first, reset, after = (json.loads(l) for l in lines[:3])
verbose = len(sys.argv) > 2
def row(obj, name):
    rows = [r for r in obj["routines"] if r["routine"] == name and r["backend"] == "cpu"]
    assert len(rows) == 1, (name, obj)
    return rows[0]
g = row(first, "DGEMM")
assert g["calls"] == 17, g
assert g["flops"] == 15 * 2 * 4**3 + 2 * 2 * 128**3, g
assert g["bytes"] == 8 * (15 * 3 * 16 + 2 * 3 * 128**2), g
assert g["timed_calls"] == (17 if verbose else 2), g
assert g["ns"] > 0 and g["timed_flops"] >= 2 * 2 * 128**3, g
assert row(first, "DGEMV")["flops"] == 2 * 64, first
assert row(first, "ZGEMM")["flops"] == 8 * 512, first
assert row(first, "DTRSM")["flops"] == 2 * 36 * 8, first
assert first["timed_min_flops"] == 100000
assert reset["routines"] == [], reset
assert [(r["routine"], r["calls"]) for r in after["routines"]] == [("DGEMM", 1)], after
PY
check "lapack_ai_stats_json: exact calls, flops, bytes per routine; reset empties it" $py "$work/stats.py" "$work/stats"

# --- LAPACK_AI_VERBOSE ---
LAPACK_AI_VERBOSE=1 "$work/calls" > "$work/vstats" 2> "$work/verbose"
check "verbose: 16 lines for the 4x4 DGEMMs, with the router's reason" test "$(grep -c '^liblapack_ai: DGEMM m=4 n=4 k=4 NN | cpu (below the offload threshold) | .* GFLOP/s | 384 B$' "$work/verbose")" = 16
check "verbose: 2 lines for the 128x128 DGEMMs" test "$(grep -c '^liblapack_ai: DGEMM m=128 n=128 k=128 NN | cpu' "$work/verbose")" = 2
check "verbose: ZGEMM, DGEMV, DTRSM lines with their shapes" sh -c "grep -q '^liblapack_ai: ZGEMM m=8 n=8 k=8 NC | cpu' '$work/verbose' && grep -q '^liblapack_ai: DGEMV m=8 n=8 T | cpu' '$work/verbose' && grep -q '^liblapack_ai: DTRSM m=8 n=8 LUNN | cpu' '$work/verbose'"
check "verbose: one line per call, nothing else" test "$(wc -l < "$work/verbose")" = 21
check "verbose: every call is timed" $py "$work/stats.py" "$work/vstats" verbose

# --- LAPACK_AI_TRACE ---
LAPACK_AI_TRACE="$work/trace.jsonl" "$work/calls" > /dev/null 2> "$work/trace.err"
cat > "$work/trace.py" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 21, len(recs)
keys = {"routine", "shape", "backend", "reason", "ns", "flops", "bytes", "gflops", "pid", "ts_us"}
for r in recs:
    assert keys <= set(r), r
    # The level-3 routines go through the router, which says why; the others are CPU-only.
    routed = ("GEMM", "SYMM", "HEMM", "SYRK", "HERK", "SYR2K", "HER2K", "TRMM", "TRSM")
    want = "below the offload threshold" if r["routine"][1:] in routed else "native"
    assert r["backend"] == "cpu" and r["reason"] == want, r
big = [r for r in recs if r["shape"] == "m=128 n=128 k=128 NN"]
assert len(big) == 2 and all(r["flops"] == 2 * 128**3 and r["ns"] > 0 for r in big), big
assert sum(r["routine"] == "DGEMM" for r in recs) == 18
PY
check "trace: 21 JSON lines with routine, shape, backend, reason, ns, flops, bytes" $py "$work/trace.py" "$work/trace.jsonl"
check "trace: nothing on stderr" test ! -s "$work/trace.err"
"$cli" report "$work/trace.jsonl" > "$work/table" 2>&1
check "lapack-ai report TRACE: DGEMM has 18 calls" sh -c "awk '\$1 == \"DGEMM\" {print \$2}' '$work/table' | grep -qx 18"
check "lapack-ai report TRACE: a total line" grep -q '^total ' "$work/table"
LAPACK_AI_TRACE="$work/t.%p.jsonl" "$work/calls" > /dev/null
check "trace: %p becomes the process id" sh -c "ls '$work'/t.[0-9]*.jsonl && test \$(cat '$work'/t.[0-9]*.jsonl | wc -l) = 21"
LAPACK_AI_TRACE=/nonexistent/dir/trace.jsonl "$work/calls" > "$work/badtrace" 2> "$work/badtrace.err"
check "trace: an unwritable path warns once and the program still works" sh -c \
  "test \$(grep -c 'LAPACK_AI_TRACE=/nonexistent/dir/trace.jsonl: cannot open' '$work/badtrace.err') = 1 && $py '$work/stats.py' '$work/badtrace' verbose"

# --- LAPACK_AI_REPORT ---
LAPACK_AI_REPORT=1 "$work/calls" > /dev/null 2> "$work/report"
check "report: a table at exit (DGEMM: 1 call since the reset)" sh -c \
  "grep -q '^liblapack_ai report' '$work/report' && awk '\$1 == \"DGEMM\" {print \$2}' '$work/report' | grep -qx 1"
check "report: says what the times cover" grep -q 'time and GFLOP/s cover the timed calls' "$work/report"

# --- exit from another thread, with every output on ---
LAPACK_AI_REPORT=1 LAPACK_AI_TRACE="$work/exit.jsonl" timeout 20 "$work/calls" exit-thread > /dev/null 2> "$work/exit.err"
status=$?
check "exit() from another thread: status 0 (was $status)" test "$status" = 0
check "exit() from another thread: the report is printed" grep -q '^DGEMM ' "$work/exit.err"
check "exit() from another thread: the trace is flushed, whole lines" $py -c \
  "import json,sys; r=[json.loads(l) for l in open('$work/exit.jsonl')]; assert len(r) >= 21"

# --- dlopen + dlclose ---
LAPACK_AI_REPORT=1 LAPACK_AI_TRACE="$work/unload.jsonl" timeout 20 "$work/unload" "$lib" > "$work/unload.out" 2> "$work/unload.err"
status=$?
check "dlclose with REPORT and TRACE: status 0 (was $status)" test "$status" = 0
check "dlclose: the report appears exactly once" test "$(grep -c '^liblapack_ai report' "$work/unload.err")" = 1
check "dlclose: 3 trace lines" test "$(wc -l < "$work/unload.jsonl")" = 3

# --- LAPACK_AI_VERBOSE=path: the lines in a file, not on stderr ---
LAPACK_AI_VERBOSE="$work/v.%p.log" "$work/calls" > "$work/vfstats" 2> "$work/vfile.err"
check "verbose to a file: nothing on stderr" test ! -s "$work/vfile.err"
check "verbose to a file: %p becomes the process id, the same 21 lines as on stderr" sh -c \
  "ls '$work'/v.[0-9]*.log && test \$(cat '$work'/v.[0-9]*.log | wc -l) = 21 && test \$(grep -c '^liblapack_ai: DGEMM m=4 n=4 k=4 NN | cpu (below the offload threshold) | .* GFLOP/s | 384 B\$' '$work'/v.[0-9]*.log) = 16"
check "verbose to a file: every call is timed" $py "$work/stats.py" "$work/vfstats" verbose

# --- the per-thread counter table (initial-exec TLS) when the library is dlopen'ed late
# (Python: NumPy and SciPy loaded first) and when it is preloaded ---
check "dlopen from Python after NumPy/SciPy: DGEMM counted from 3 threads" $py -c "
import ctypes, json, threading, numpy, scipy.linalg
lib = ctypes.CDLL('$lib')
lib.lapack_ai_stats_json.restype = ctypes.c_void_p
n = ctypes.c_int(4); one = ctypes.c_double(1); zero = ctypes.c_double(0)
a = (ctypes.c_double * 16)(*range(16)); c = (ctypes.c_double * 16)()
def calls():
    for _ in range(100):
        lib.dgemm_(b'N', b'N', ctypes.byref(n), ctypes.byref(n), ctypes.byref(n), ctypes.byref(one),
                   a, ctypes.byref(n), a, ctypes.byref(n), ctypes.byref(zero), c, ctypes.byref(n),
                   ctypes.c_size_t(1), ctypes.c_size_t(1))
ts = [threading.Thread(target=calls) for _ in range(3)]
[t.start() for t in ts]; [t.join() for t in ts]
p = lib.lapack_ai_stats_json()
stats = json.loads(ctypes.string_at(p).decode()); lib.lapack_ai_free_string(ctypes.c_void_p(p))
row = [r for r in stats['routines'] if r['routine'] == 'DGEMM' and r['backend'] == 'cpu'][0]
assert row['calls'] == 300 and row['flops'] == 300 * 128, row
assert c[0] == sum(a[4 * k] * a[k] for k in range(4)), list(c)
"
LD_PRELOAD="$lib" "$work/calls" > "$work/pstats" 2> "$work/pstats.err"
check "LD_PRELOAD: the same counts" $py "$work/stats.py" "$work/pstats"

# --- lapack-ai report TRACE --html ---
"$cli" report "$work/trace.jsonl" --html "$artifacts/report.html" > "$work/html.out" 2>&1
cat > "$work/html.py" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
assert html.count("<svg") == 3, html.count("<svg")
assert '<span id="calls">21</span> calls (0 on the GPU)' in html
# time per routine and backend: one bar per routine (all on the CPU)
for name in ("DGEMM", "ZGEMM", "DGEMV", "DTRSM"):
    assert f"<title>{name} cpu: " in html, name
# GFLOP/s against size: one line per routine and backend, DGEMM at sizes 4 and 128
assert html.count("<polyline") == 4, html.count("<polyline")
assert "<title>DGEMM cpu 4: " in html and "<title>DGEMM cpu 128: " in html
# calls over time: the columns add up to the 21 calls
assert sum(int(n) for n in re.findall(r"<title>cpu: (\d+)</title>", html)) == 21
assert "<script" not in html and not re.search(r"(src|href)=", html)  # self-contained
PY
check "report --html: 3 inline SVG charts with every routine, sizes and the 21 calls" $py "$work/html.py" "$artifacts/report.html"
chromium_bin=$(command -v chromium || command -v chromium-browser)
rm -f "$artifacts/report.png"
timeout 120 "$chromium_bin" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
  --user-data-dir="$work/chromium" --window-size=800,1200 --screenshot="$artifacts/report.png" \
  "file://$artifacts/report.html" > /dev/null 2>&1
check "report --html: Chromium renders it (target/test-artifacts/report.png has the bars' blue)" $py -c "
from PIL import Image
img = Image.open('$artifacts/report.png').convert('RGB')
blue = sum(n for n, c in img.getcolors(1 << 24) if sum(abs(a - b) for a, b in zip(c, (0x2f, 0x6f, 0xdf))) < 40)
assert blue > 500, blue"

# --- LAPACK_AI_METRICS: /metrics, /stats.json, the dashboard in headless Chromium, fork ---
timeout 900 $py "$here/dashboard.py" "$work/workload" "$artifacts" > "$work/dashboard.out" 2>&1
status=$?
grep -E '^(ok|FAILED|note):' "$work/dashboard.out"
passed=$((passed + $(grep -c '^ok:' "$work/dashboard.out")))
failed=$((failed + $(grep -c '^FAILED:' "$work/dashboard.out")))
if [ "$status" != 0 ] && ! grep -q '^FAILED:' "$work/dashboard.out"; then
  fail "dashboard.py exited $status"; tail -20 "$work/dashboard.out"
fi

# --- lapack-ai calibrate and the router's cost model ---
cache="$work/cache"
model="$cache/lapack-ai/cost-model.json"
XDG_CACHE_HOME="$cache" "$cli" info > "$work/info0" 2>&1
check "info before calibrate: the built-in cost model" grep -q '^cost model: built-in estimates' "$work/info0"
XDG_CACHE_HOME="$cache" timeout 300 "$cli" calibrate > "$work/cal.out" 2>&1
check "calibrate (CPU): stores a plausible CPU GEMM rate, no device" $py -c "
import json; c = json.load(open('$model'))
assert c['format'] == 1 and c['threads'] >= 1 and 'device' not in c, c
for k in ('cpu_flops_per_thread_f64', 'cpu_flops_per_thread_f32'):
    assert 1e8 < c[k] < 1e12, c"
XDG_CACHE_HOME="$cache" "$cli" info > "$work/info1" 2>&1
check "info after calibrate: says the calibration is in use" grep -q "^cost model: calibrated, from $model" "$work/info1"
XDG_CACHE_HOME="$cache" LAPACK_AI_TRACE="$work/cpu512.jsonl" "$work/workload" gemm 512
check "router: without LAPACK_AI_DEVICE a 512 DGEMM never goes to PoCL" $py -c "
import json; r = [json.loads(l) for l in open('$work/cpu512.jsonl')]
assert len(r) == 1 and r[0]['backend'] == 'cpu', r"
if clinfo -l 2>/dev/null | grep -q 'Portable Computing Language'; then
  XDG_CACHE_HOME="$cache" LAPACK_AI_DEVICE=pocl timeout 600 "$cli" calibrate > "$work/cal2.out" 2>&1
  check "calibrate with LAPACK_AI_DEVICE=pocl: measures PoCL's kernel, copies, launch" $py -c "
import json; c = json.load(open('$model'))
assert c['device_flops_f32'] > 1e6 and c['device_link_bytes_per_s'] > 1e6 and 0 < c['device_launch_s'] < 1, c
assert c['device_overhead_s'] >= c['device_launch_s'] * 0.5, c"
  XDG_CACHE_HOME="$cache" LAPACK_AI_DEVICE=pocl LAPACK_AI_TRACE="$work/pocl512.jsonl" "$work/workload" gemm 512
  check "router: with PoCL named, its estimates are the calibrated model's" $py -c "
import json, re
c = json.load(open('$model'))
r = [json.loads(l) for l in open('$work/pocl512.jsonl')][0]
# Priced before the device is opened (a call the estimate keeps on the CPU never opens it).
g, p = re.fullmatch(r'est\. ([0-9.]+) ms GPU( \(device not opened\))? vs ([0-9.]+) ms CPU(; GPU declined: .*)?', r['reason']).group(1, 3)
n = 512.0; flops = 2 * n**3; nbytes = 4 * n * n * 8
cpu = flops / (c['cpu_flops_per_thread_f64'] * c['threads']) * 1e3
gpu = (flops / c['device_flops_f64'] + nbytes / c['device_link_bytes_per_s'] + c['device_overhead_s']) * 1e3
assert abs(float(p) - cpu) <= 0.002 + 1e-3 * cpu and abs(float(g) - gpu) <= 0.002 + 1e-3 * gpu, (r, cpu, gpu)
assert r['backend'] == ('gpu' if gpu < cpu else 'cpu'), r"
  XDG_CACHE_HOME="$cache" LAPACK_AI_TRACE="$work/cpu512b.jsonl" "$work/workload" gemm 512
  check "router: a PoCL calibration does not make PoCL the default device" $py -c "
import json; r = [json.loads(l) for l in open('$work/cpu512b.jsonl')]
assert len(r) == 1 and r[0]['backend'] == 'cpu', r"
fi
echo '{"format":1}' > "$model"
XDG_CACHE_HOME="$cache" "$cli" info > "$work/info2" 2>&1
check "info: an invalid cost model file is reported and ignored" grep -q "^cost model: built-in estimates ($model is ignored" "$work/info2"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
