"""PyTorch CPU peer for the logits benchmark (bench/logits.mjs runs this in a
separate process when python3 with torch is available).

    python3 bench/torch_logits.py DIR KL_ROWS CE_ROWS COLS T REPS

DIR holds the data bench/logits.mjs wrote (little-endian, row-major):
    kl_t.f32, kl_s.f32   teacher and student logits, KL_ROWS x COLS float32
    ce_x.f32             logits, CE_ROWS x COLS float32
    ce_y.i32             labels, CE_ROWS int32 (converted to int64 here, as
                         F.cross_entropy wants)
Times, with PyTorch's default threads and with torch.set_num_threads(1) (the two
interleaved: in each repetition one call of each), after warm-up:
    kl      F.kl_div(F.log_softmax(s / T, -1), F.log_softmax(t / T, -1),
                     log_target=True, reduction="batchmean")   (forward only)
    kl_bwd  the same with s.requires_grad, then loss.backward()
    ce      F.cross_entropy(x, y)                             (forward only)
    ce_bwd  the same with x.requires_grad, then loss.backward()
and prints JSON: per case and thread setting the median ms, quartiles and samples,
the loss values (float32 results as Python floats), and writes into DIR the
gradients for bench/logits.mjs to check: kl_grad.f32 (KL_ROWS x COLS) and
ce_grad8.f32 (the first 8 rows of d loss / d x).
"""
import json, os, sys, time

import numpy as np
import torch
import torch.nn.functional as F

d, kl_rows, ce_rows, cols, T, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
WARMUP = 2

def load(name, dtype, shape):
    a = np.fromfile(os.path.join(d, name), dtype=dtype)
    assert a.size == int(np.prod(shape)), (name, a.size, shape)
    return torch.from_numpy(a.reshape(shape))

t = load("kl_t.f32", "<f4", (kl_rows, cols))
s = load("kl_s.f32", "<f4", (kl_rows, cols))
x = load("ce_x.f32", "<f4", (ce_rows, cols)) if ce_rows > 0 else None
y = load("ce_y.i32", "<i4", (ce_rows,)).long() if ce_rows > 0 else None

default_threads = torch.get_num_threads()

def kl(sv):
    return F.kl_div(F.log_softmax(sv / T, -1), F.log_softmax(t / T, -1), log_target=True, reduction="batchmean")

def kl_fwd():
    return kl(s).item()

def kl_bwd():
    sv = s.detach().requires_grad_(True)
    loss = kl(sv)
    loss.backward()
    kl_bwd.grad = sv.grad
    return loss.item()

def ce_fwd():
    return F.cross_entropy(x, y).item()

def ce_bwd():
    xv = x.detach().requires_grad_(True)
    loss = F.cross_entropy(xv, y)
    loss.backward()
    ce_bwd.grad = xv.grad
    return loss.item()

cases = {"kl": kl_fwd, "kl_bwd": kl_bwd}
if x is not None:
    cases.update({"ce": ce_fwd, "ce_bwd": ce_bwd})
settings = {"default": default_threads, "one": 1}

out = {"torch": torch.__version__, "numpy": np.__version__, "default_threads": default_threads,
       "interop_threads": torch.get_num_interop_threads(), "reps": reps, "warmup": WARMUP,
       "config": torch.__config__.parallel_info().strip().splitlines()[:4], "cases": {}}

with torch.inference_mode(False):
    for name, fn in cases.items():
        samples = {k: [] for k in settings}
        values = {}
        for k, n in settings.items():
            torch.set_num_threads(n)
            for _ in range(WARMUP):
                values[k] = fn()
        for rep in range(reps):
            order = list(settings.items())
            if rep % 2:
                order.reverse()
            for k, n in order:
                torch.set_num_threads(n)
                t0 = time.perf_counter()
                values[k] = fn()
                samples[k].append((time.perf_counter() - t0) * 1e3)
        out["cases"][name] = {k: {"ms": float(np.median(v)), "p25": float(np.percentile(v, 25)),
                                  "p75": float(np.percentile(v, 75)), "samples": v, "value": values[k]}
                              for k, v in samples.items()}
        # the gradient of the last call (one thread); PyTorch's gradient does not depend on the threads
        # to more than rounding
        if name == "kl_bwd":
            kl_bwd.grad.numpy().astype("<f4").tofile(os.path.join(d, "kl_grad.f32"))
        if name == "ce_bwd":
            ce_bwd.grad[:8].numpy().astype("<f4").tofile(os.path.join(d, "ce_grad8.f32"))
        # free the autograd leftovers before the next case
        for f in (kl_bwd, ce_bwd):
            if hasattr(f, "grad"):
                del f.grad
        print(f"torch {name}: " + ", ".join(f"{k} {out['cases'][name][k]['ms']:.1f} ms" for k in settings), file=sys.stderr)

torch.set_num_threads(default_threads)
print(json.dumps(out))
