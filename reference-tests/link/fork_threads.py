"""NumPy with liblapack_ai preloaded: the parent runs calls large enough to be threaded
(so the library's pool exists when it forks), then a multiprocessing pool (fork) and a
grandchild (os.fork inside a child) run the same calls. A child has none of its parent's
threads; it must build its own pool (threads named lapack-ai-N appear in it), finish,
and give the parent's results bit for bit (the same thread count, the same arithmetic).
Before, children ran every call on one thread and eigvals came back with other bits.
Exit status 0 when all holds."""
import multiprocessing as mp
import os
import sys

import numpy as np


def calls():
    rng = np.random.default_rng(7)
    a = rng.standard_normal((600, 600))
    s = a @ a.T + 600 * np.eye(600)
    b = rng.standard_normal((600, 40))
    tall = rng.standard_normal((700, 300))
    return {
        "matmul": lambda: a @ a.T,
        "solve": lambda: np.linalg.solve(a, b),
        "cholesky": lambda: np.linalg.cholesky(s),
        "qr": lambda: np.linalg.qr(tall)[1],
        "eigvals": lambda: np.linalg.eigvals(a),
        "eig": lambda: np.linalg.eig(a[:300, :300])[1],
        "eigh": lambda: np.linalg.eigh(s)[1],
        "svd": lambda: np.linalg.svd(a, compute_uv=False),
        "svd_vectors": lambda: np.linalg.svd(tall, full_matrices=False)[0],
        "lstsq": lambda: np.linalg.lstsq(tall, tall[:, :5] + 1.0, rcond=None)[0],
        "inv": lambda: np.linalg.inv(a),
    }


def results():
    return {name: f() for name, f in calls().items()}


def pool_threads():
    names = []
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/comm") as comm:
            names.append(comm.read().strip())
    return sum(name.startswith("lapack-ai-") for name in names)


def mismatches(reference, got):
    return [name for name in reference if not np.array_equal(reference[name], got[name])]


def child(_):
    """In a forked worker: its results' mismatches, its pool's threads, and the same for
    a grandchild forked from it."""
    got = results()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        grand = results()
        report = f"{','.join(mismatches(got, grand))};{pool_threads()}"
        os.write(write, report.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        grand_bad, grand_threads = pipe.read().split(";")
    _, status = os.waitpid(pid, 0)
    return got, pool_threads(), grand_bad, int(grand_threads), status


def main():
    parent = results()
    with mp.get_context("fork").Pool(2) as workers:
        outcomes = workers.map(child, range(3), chunksize=1)
    threads = int(os.environ.get("LAPACK_AI_NUM_THREADS", "2"))
    for got, child_threads, grand_bad, grand_threads, status in outcomes:
        bad = mismatches(parent, got)
        if bad:
            sys.exit(f"child results differ from the parent's: {bad}")
        if child_threads != threads:
            sys.exit(f"child has {child_threads} pool threads, expected {threads}")
        if status != 0 or grand_bad:
            sys.exit(f"grandchild: exit status {status}, results differ: {grand_bad}")
        if grand_threads != threads:
            sys.exit(f"grandchild has {grand_threads} pool threads, expected {threads}")
    print(f"ok: 3 children and 3 grandchildren, {len(parent)} calls each, same bits, "
          f"{threads} pool threads each")


if __name__ == "__main__":
    main()
