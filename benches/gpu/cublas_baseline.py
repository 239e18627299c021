#!/usr/bin/env python3
"""cuBLAS GEMM baseline (through PyTorch) for the lent GPU machine: kernel-only TFLOP/s
for float64, float32 (TF32 off) and complex128 at the given sizes, median of --reps (and
their mean, the statistic gpu-bench reports: total time / reps)."""
import argparse
import statistics
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--sizes", default="2048,4096,8192,16384")
ap.add_argument("--reps", type=int, default=5)
ap.add_argument("--types", default="dgemm,sgemm,zgemm")
args = ap.parse_args()
torch.backends.cuda.matmul.allow_tf32 = False
print(f"device: {torch.cuda.get_device_name(0)}; torch {torch.__version__}")
for dtype, name, flops_per in ((torch.float64, "dgemm", 2), (torch.float32, "sgemm", 2), (torch.complex128, "zgemm", 8)):
    if name not in args.types.split(","):
        continue
    for n in map(int, args.sizes.split(",")):
        a = torch.randn(n, n, dtype=dtype, device="cuda")
        b = torch.randn(n, n, dtype=dtype, device="cuda")
        torch.matmul(a, b)
        torch.cuda.synchronize()
        times = []
        for _ in range(args.reps):
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            torch.matmul(a, b)
            end.record()
            torch.cuda.synchronize()
            times.append(start.elapsed_time(end) / 1e3)
        t, mean = statistics.median(times), statistics.mean(times)
        print(f"cuBLAS {name} n={n:6d} {t * 1e3:9.3f} ms {flops_per * n**3 / t / 1e12:8.3f} TFLOP/s"
              f" (mean {flops_per * n**3 / mean / 1e12:.3f})", flush=True)
        del a, b
        torch.cuda.empty_cache()
