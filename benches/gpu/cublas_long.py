#!/usr/bin/env python3
"""cuBLAS DGEMM (torch) at one size, many back-to-back calls: per-call ms of the first and
last five, and the median, to see the rate drift over a long run (clocks, power)."""
import statistics, sys, torch
n, reps = int(sys.argv[1]), int(sys.argv[2])
a = torch.randn(n, n, dtype=torch.float64, device="cuda")
b = torch.randn(n, n, dtype=torch.float64, device="cuda")
torch.matmul(a, b); torch.cuda.synchronize()
ev = [(torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)) for _ in range(reps)]
for s, e in ev:
    s.record(); torch.matmul(a, b); e.record()
torch.cuda.synchronize()
t = [s.elapsed_time(e) / 1e3 for s, e in ev]
tf = lambda x: 2 * n**3 / x / 1e12
print(f"cuBLAS long n={n} reps={reps}: first5 {[round(tf(x),2) for x in t[:5]]} last5 {[round(tf(x),2) for x in t[-5:]]} "
      f"median {tf(statistics.median(t)):.2f} mean {tf(sum(t)/len(t)):.2f} TFLOP/s", flush=True)
