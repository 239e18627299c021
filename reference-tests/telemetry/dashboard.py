"""The metrics endpoint and the live dashboard, end to end (LAPACK_AI_METRICS).

usage: dashboard.py WORKLOAD ARTIFACT_DIR

WORKLOAD is workload.c built against the library. Checks, printing one line each:
/metrics parses as Prometheus text and its counts equal the calls made (from three
threads, one of them ended); /stats.json and the other paths; no server thread without
the variable; headless Chromium loads the dashboard while the process works and its
charts fill with data (the DOM after the page's scripts ran); a screenshot is saved in
ARTIFACT_DIR and has the charts' colours in it; forked children of a serving process
neither hang nor fail. With PoCL present, the process sends some calls to it, so the GPU
charts have data too. Exit status 0 when every check passed.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

WORKLOAD, ARTIFACTS = sys.argv[1], sys.argv[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
failures = []


def check(what, ok, detail=""):
    print(("ok: " if ok else "FAILED: ") + what + ("" if ok else f" ({detail})"), flush=True)
    if not ok:
        failures.append(what)
    return ok


def read_line(stream, pattern, timeout):
    """The first line of `stream` matching `pattern` (a regex), or None after `timeout` s."""
    found = []

    def scan():
        for line in stream:
            if re.search(pattern, line):
                found.append(line)
                return

    t = threading.Thread(target=scan, daemon=True)
    t.start()
    t.join(timeout)
    return found[0] if found else None


def http(url, method="GET", timeout=10):
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def parse_prometheus(text):
    """{(name, labels as a sorted tuple): value}; raises on any malformed line."""
    declared, samples = {}, {}
    sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
    label = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')
    for line in text.splitlines():
        if line.startswith("# HELP "):
            assert len(line.split(" ", 3)) == 4, line
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge"), line
            declared[name] = kind
        else:
            m = sample.match(line)
            assert m, f"not a sample: {line!r}"
            name, labels = m.group(1), ()
            assert name in declared, f"{name} has no TYPE line"
            if m.group(3):
                pairs = label.findall(m.group(3))
                assert "".join(f'{k}="{v}"{c}' for k, v, c in pairs) == m.group(3), line
                labels = tuple(sorted((k, v) for k, v, _ in pairs))
            samples[(name, labels)] = float(m.group(4))
    return declared, samples


def pocl_present():
    try:
        out = subprocess.run(["clinfo", "-l"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "Portable Computing Language" in out


def threads_of(pid):
    names = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            names.append(open(f"/proc/{pid}/task/{tid}/comm").read().strip())
        except OSError:
            pass
    return names


def start(extra_env, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAPACK_AI_")}
    env.update(extra_env)
    return subprocess.Popen([WORKLOAD, *args], env=env, text=True, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def stop(proc, what):
    try:
        proc.stdin.close()
    except OSError:
        pass
    try:
        rc = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = "hung"
    check(f"{what}: exits 0 when its input closes", rc == 0, f"status {rc}")


# --- without LAPACK_AI_METRICS: no thread, no message ---
plain = start({}, "serve")
ready = read_line(plain.stdout, r"^ready$", 60)
names = threads_of(plain.pid) if ready else []
check("no LAPACK_AI_METRICS: the program runs and no metrics thread exists",
      ready is not None and not any(n.startswith("lapack-ai-metr") for n in names), names)
stop(plain, "no LAPACK_AI_METRICS")
check("no LAPACK_AI_METRICS: nothing on stderr", plain.stderr.read() == "")

# --- serving ---
gpu = pocl_present()
env = {"LAPACK_AI_METRICS": "127.0.0.1:0"}
if gpu:
    env.update({"LAPACK_AI_DEVICE": "pocl", "WORKLOAD_GPU": "1"})
proc = start(env, "serve")
line = read_line(proc.stderr, r"metrics at http://", 60)
m = re.search(r"http://(127\.0\.0\.1:\d+)/metrics", line or "")
if not check("the server announces its loopback address (port 0: a free port)", m, line):
    proc.kill()
    sys.exit(1)
base = f"http://{m.group(1)}"
stats_line = read_line(proc.stdout, r"^\{", 120)
ready = read_line(proc.stdout, r"^ready$", 60)
check("the workload made its calls", stats_line and ready)
own = json.loads(stats_line or "{}")
check("a thread named lapack-ai-metrics serves",
      any(n.startswith("lapack-ai-metr") for n in threads_of(proc.pid)), threads_of(proc.pid))

status, headers, body = http(base + "/metrics")
check("/metrics: 200, Prometheus text content type",
      status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4"), status)
try:
    declared, samples = parse_prometheus(body)
    check("/metrics parses: HELP and TYPE before every family, well-formed samples", True)
except AssertionError as e:
    declared, samples = {}, {}
    check("/metrics parses: HELP and TYPE before every family, well-formed samples", False, e)


def metric(name, routine, backend="cpu"):
    return samples.get((name, (("backend", backend), ("routine", routine))))


check("/metrics: DGEMM calls = 1005 (300 from an ended thread, 200 from a live one, 505 from main)",
      metric("lapack_ai_calls_total", "DGEMM") == 1005, metric("lapack_ai_calls_total", "DGEMM"))
check("/metrics: DGESV calls = 50 (20 + 30 from two threads)",
      metric("lapack_ai_calls_total", "DGESV") == 50, metric("lapack_ai_calls_total", "DGESV"))
same = all(
    metric("lapack_ai_calls_total", r["routine"], r["backend"]) == r["calls"]
    and metric("lapack_ai_flops_total", r["routine"], r["backend"]) == r["flops"]
    and metric("lapack_ai_bytes_total", r["routine"], r["backend"]) == r["bytes"]
    and metric("lapack_ai_timed_calls_total", r["routine"], r["backend"]) == r["timed_calls"]
    and abs(metric("lapack_ai_seconds_total", r["routine"], r["backend"]) - r["ns"] / 1e9) < 1e-9
    for r in own.get("routines", []))
check("/metrics: calls, flops, bytes, seconds equal lapack_ai_stats_json in the process",
      same and len(own.get("routines", [])) == 2, own)
check("/metrics: gauges for GPU memory (high-water mark) and process memory",
      declared.get("lapack_ai_gpu_memory_peak_bytes") == "gauge"
      and samples.get(("lapack_ai_process_resident_bytes", ()), 0) > 0)
status, headers, body = http(base + "/stats.json")
live = json.loads(body) if status == 200 else {}
check("/stats.json: the same routines as lapack_ai_stats_json, plus pid and memory",
      live.get("routines") == own.get("routines") and live.get("pid") == proc.pid
      and live.get("rss_bytes", 0) > 0, body[:300])
status, headers, body = http(base + "/")
check("/: the dashboard page, self-contained (no external script or style)",
      status == 200 and "<canvas" in body and not re.search(r'(src|href)="(https?:)?//', body), status)
check("/nope: 404", http(base + "/nope")[0] == 404)
check("POST /metrics: 405", http(base + "/metrics", method="POST")[0] == 405)

proc.stdin.write("go\n")
proc.stdin.flush()
if gpu:
    deadline, offloaded = time.time() + 120, False
    while time.time() < deadline and not offloaded:
        time.sleep(0.5)
        rows = json.loads(http(base + "/stats.json")[2])["routines"]
        offloaded = any(r["backend"] == "gpu" and r["timed_calls"] > 0 for r in rows)
    check("PoCL: the workload's 128x128 DGEMMs run on the device", offloaded)
else:
    print("note: no PoCL here, the GPU charts stay empty")
    time.sleep(2)

chrome = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--no-first-run", "--hide-scrollbars", f"--user-data-dir={ARTIFACTS}/.chromium-profile",
          "--window-size=1280,1000", "--virtual-time-budget=8000"]
if not check("chromium is installed (tools/install-deps.sh)", CHROMIUM is not None):
    proc.kill()
    sys.exit(1)
try:
    dom = subprocess.run(chrome + ["--dump-dom", base + "/"], capture_output=True, text=True,
                         timeout=120).stdout
except subprocess.TimeoutExpired:
    dom = ""
polls = int((re.search(r'<body data-polls="(\d+)"', dom) or [0, 0])[1])
points = dict(re.findall(r'<canvas id="chart-([a-z]+)" data-points="(\d+)"', dom))
rows = {(r, b): int(c) for r, b, c in
        re.findall(r'<tr data-routine="(\w+)" data-backend="(\w+)" data-calls="(\d+)"', dom)}
check("chromium: the page polled /stats.json at least 3 times and says live",
      polls >= 3 and '<span id="status" class="live">live</span>' in dom, f"polls={polls}")
check("chromium: calls/s chart drew points", int(points.get("rate", 0)) >= 2, points)
check("chromium: time-per-backend chart drew bars", int(points.get("time", 0)) >= 1, points)
check("chromium: memory chart drew points", int(points.get("memory", 0)) >= 2, points)
if gpu:
    check("chromium: GPU vs CPU speedup chart drew a bar", int(points.get("speedup", 0)) >= 1, points)
    check("chromium: the table has a DGEMM gpu row", rows.get(("DGEMM", "gpu"), 0) >= 1, rows)
check("chromium: the table counts the calls made so far (DGEMM cpu >= 1005, DGESV >= 50)",
      rows.get(("DGEMM", "cpu"), 0) >= 1005 and rows.get(("DGESV", "cpu"), 0) >= 50, rows)

os.makedirs(ARTIFACTS, exist_ok=True)
shot = os.path.join(ARTIFACTS, "dashboard.png")
if os.path.exists(shot):
    os.remove(shot)
try:
    subprocess.run(chrome + [f"--screenshot={shot}", base + "/"], capture_output=True, timeout=120)
except subprocess.TimeoutExpired:
    pass
shutil.rmtree(f"{ARTIFACTS}/.chromium-profile", ignore_errors=True)
try:
    from PIL import Image
    img = Image.open(shot).convert("RGB")
    colours = img.getcolors(1 << 24)
    near = lambda rgb: sum(n for n, c in colours if sum(abs(a - b) for a, b in zip(c, rgb)) < 40)
    check(f"screenshot {shot}: 1280x1000, the CPU series' blue drawn",
          img.size == (1280, 1000) and near((0x2f, 0x6f, 0xdf)) > 500, (img.size, near((0x2f, 0x6f, 0xdf))))
    if gpu:
        check("screenshot: the GPU series' orange drawn", near((0xe8, 0x59, 0x0c)) > 300)
except (OSError, ImportError) as e:
    check(f"screenshot {shot} saved and readable", False, e)
stop(proc, "serving workload")

# --- fork while the server reads the counters ---
forker = start({"LAPACK_AI_METRICS": "127.0.0.1:0"}, "fork", "60")
line = read_line(forker.stderr, r"metrics at http://", 60)
m = re.search(r"http://(127\.0\.0\.1:\d+)/", line or "")
scrapes = [0]


def hammer():
    while forker.poll() is None and m:
        try:
            http(f"http://{m.group(1)}/metrics", timeout=2)
            scrapes[0] += 1
        except OSError:
            pass


t = threading.Thread(target=hammer, daemon=True)
t.start()
try:
    out, _ = forker.communicate(timeout=180)
except subprocess.TimeoutExpired:
    forker.kill()
    out, _ = forker.communicate()
t.join(5)
check(f"fork x60 while /metrics is scraped ({scrapes[0]} scrapes): no child hangs or fails",
      forker.returncode == 0 and "forks ok" in out, out.strip())

print(f"dashboard: {len(failures)} failed")
sys.exit(1 if failures else 0)
