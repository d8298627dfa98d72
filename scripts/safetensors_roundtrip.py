#!/usr/bin/env python3
"""Proves that FedData's safetensors files are the real format, readable and writable by
Hugging Face's `safetensors` package (not part of `swift test`).

    pip install safetensors numpy
    python3 scripts/safetensors_roundtrip.py

It (1) has `feddata` train a small model and save it, (2) opens the file with
`safetensors.numpy.load_file` and checks names, shapes and dtypes against the model's
specification, (3) writes a file from Python (random values) and has `feddata` load it and
print the tensors' checksums, which must equal NumPy's sums.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from safetensors.numpy import load_file, save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FEDDATA = [os.path.join(ROOT, ".build", "release", "feddata")]
if not os.path.exists(FEDDATA[0]):
    FEDDATA = ["swift", "run", "-c", "release", "--package-path", ROOT, "feddata"]


def run(*args):
    out = subprocess.run(FEDDATA + list(args), check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


with tempfile.TemporaryDirectory() as tmp:
    # 1. Swift writes, Python reads.
    path = os.path.join(tmp, "swift.safetensors")
    run("train", "--dataset", "heart-disease", "--model", "2nn", "--epochs", "1", "--json", "--save", path)
    tensors = load_file(path)
    expected = {"fc1.weight": (13, 200), "fc1.bias": (200,), "fc2.weight": (200, 200),
                "fc2.bias": (200,), "fc3.weight": (200, 2), "fc3.bias": (2,)}
    got = {k: v.shape for k, v in tensors.items()}
    assert got == expected, f"shapes differ: {got}"
    assert all(v.dtype == np.float32 for v in tensors.values())
    assert all(np.isfinite(v).all() for v in tensors.values())
    print(f"python read {len(tensors)} tensors written by feddata: OK")

    # 2. Python writes, Swift reads.
    rng = np.random.default_rng(7)
    written = {"a.weight": rng.standard_normal((3, 5)).astype(np.float32),
               "a.bias": rng.standard_normal((5,)).astype(np.float32)}
    path2 = os.path.join(tmp, "python.safetensors")
    save_file(written, path2, metadata={"origin": "python"})
    lines = run("inspect", path2, "--json")
    sums = {l["name"]: l["sum"] for l in lines if "sum" in l}
    for k, v in written.items():
        assert abs(sums[k] - float(v.astype(np.float64).sum())) < 1e-4, (k, sums[k], v.sum())
        assert [l["shape"] for l in lines if l.get("name") == k][0] == list(v.shape)
    print(f"feddata read {len(written)} tensors written by python: OK")
