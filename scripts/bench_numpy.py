#!/usr/bin/env python3
"""NumPy reference numbers for `feddata bench`: one JSON line per benchmark.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 scripts/bench_numpy.py [--only gemm] [--shapes NAME ...]

(Those two variables, set on the project's machines for old OpenBLAS builds, select a slower
kernel and roughly halve OpenBLAS's SGEMM: unset them for this command only.)

GEMM names are M×K×N for C[M×N] = op(A)[M×K] · op(B)[K×N], float32, row-major, with the same
storage as `GEMMBenchmark` in FedTensor: `tn-` means A is stored K×M (Aᵀ·B), `nt-` means B is
stored N×K (A·Bᵀ). Each benchmark times 7 repeats after a warm-up and reports the fastest.
Add a benchmark family by writing a `bench_<family>(args)` generator and listing it in BENCHES.
"""

import argparse
import json
import re
import sys
import time

import numpy as np

GEMM_SHAPES = [
    "gemm-1024x1024x1024",
    "gemm-32x784x200",
    "gemm-tn-784x32x200",
    "gemm-nt-32x200x784",
]


def best_seconds(fn, min_seconds, repeats=7):
    """Seconds per call of `fn` in the fastest of `repeats` timed batches (after a warm-up)."""
    start = time.perf_counter()
    while time.perf_counter() - start < min(0.05, min_seconds / 4):
        fn()
    best = float("inf")
    for _ in range(repeats):
        calls = 0
        start = time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds / repeats:
                break
        best = min(best, elapsed / calls)
    return best


def parse_gemm(name):
    """`gemm-[tn-|nt-|tt-]MxKxN` -> (trans_a, trans_b, m, k, n)."""
    match = re.fullmatch(r"gemm-(?:([nt])([nt])-)?(\d+)x(\d+)x(\d+)", name)
    if not match:
        raise ValueError(f"bad GEMM shape name {name!r}; expected gemm-[tn-|nt-|tt-]MxKxN")
    ta, tb, m, k, n = match.groups()
    return ta == "t", tb == "t", int(m), int(k), int(n)


def bench_gemm(args):
    """float32 matmul on the GEMM shapes; yields result dicts."""
    rng = np.random.default_rng(42)
    for name in args.shapes or GEMM_SHAPES:
        trans_a, trans_b, m, k, n = parse_gemm(name)
        a_stored = rng.random((k, m) if trans_a else (m, k), dtype=np.float32) - 0.5
        b_stored = rng.random((n, k) if trans_b else (k, n), dtype=np.float32) - 0.5
        a = a_stored.T if trans_a else a_stored
        b = b_stored.T if trans_b else b_stored
        c = np.empty((m, n), dtype=np.float32)
        seconds = best_seconds(lambda: np.matmul(a, b, out=c), args.seconds)
        yield {"name": name, "gflops": round(2.0 * m * n * k / seconds / 1e9, 1),
               "us": round(seconds * 1e6, 1)}


def load_mnist_train(limit):
    """The first `limit` bundled MNIST training images as float32 [N, 784] in [0, 1], and labels."""
    import gzip
    import os
    data = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "Sources", "FedBundledData", "data", "mnist")
    with gzip.open(os.path.join(data, "train-images-part0-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)[:limit]
    with gzip.open(os.path.join(data, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)[:limit]
    return images.astype(np.float32) / 255.0, labels.astype(np.int64)


def bench_train(args):
    """The 2NN (784-200-200-10) trained with SGD + momentum at batch 32, written with NumPy the
    way a careful NumPy user would (float32 throughout, in-place updates): the same work as
    FedData's `train-2nn-b32` (forward, softmax cross-entropy, backward, update)."""
    batch = 32
    x_all, y_all = load_mnist_train(64 * batch)
    rng = np.random.default_rng(7)

    def glorot(fan_in, fan_out):
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-bound, bound, (fan_in, fan_out)).astype(np.float32)

    params = [glorot(784, 200), np.zeros(200, np.float32), glorot(200, 200), np.zeros(200, np.float32),
              glorot(200, 10), np.zeros(10, np.float32)]
    velocity = [np.zeros_like(p) for p in params]
    lr, momentum = np.float32(0.01), np.float32(0.9)
    state = {"i": 0}

    def step():
        i = state["i"]
        state["i"] = (i + 1) % 64
        x = x_all[i * batch:(i + 1) * batch]
        y = y_all[i * batch:(i + 1) * batch]
        w1, b1, w2, b2, w3, b3 = params
        z1 = x @ w1 + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ w2 + b2
        h2 = np.maximum(z2, 0)
        logits = h2 @ w3 + b3
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(batch), y] -= 1
        p /= batch
        g3, gb3 = h2.T @ p, p.sum(axis=0)
        d2 = p @ w3.T
        d2 *= z2 > 0
        g2, gb2 = h1.T @ d2, d2.sum(axis=0)
        d1 = d2 @ w2.T
        d1 *= z1 > 0
        g1, gb1 = x.T @ d1, d1.sum(axis=0)
        for prm, vel, g in zip(params, velocity, (g1, gb1, g2, gb2, g3, gb3)):
            vel *= momentum
            vel += g
            prm -= lr * vel

    seconds = best_seconds(step, args.seconds, repeats=5)
    yield {"name": "train-2nn-b32", "samples_per_s": round(batch / seconds, 1), "seconds_per_step": seconds}


BENCHES = {"gemm": bench_gemm, "train": bench_train}


def describe_blas():
    """The BLAS library, kernel and threads NumPy uses, or None without threadpoolctl."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [{key: info.get(key) for key in ("internal_api", "version", "architecture", "num_threads")}
            for info in threadpool_info() if info.get("user_api") == "blas"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=sorted(BENCHES), action="append",
                        help="run only this benchmark family (repeatable); default: all")
    parser.add_argument("--shapes", nargs="+", help="GEMM shape names instead of the standard four")
    parser.add_argument("--seconds", type=float, default=1.0, help="timed seconds per benchmark")
    args = parser.parse_args()

    blas = describe_blas()
    if blas is not None:  # on stderr, so that stdout stays one JSON result per line
        print(json.dumps({"numpy": np.__version__, "blas": blas}), file=sys.stderr)
    for family in args.only or sorted(BENCHES):
        for result in BENCHES[family](args):
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
