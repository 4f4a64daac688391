"""SciPy contender for the KSG benchmark (bench/run.mjs runs this when python3 with
numpy and scipy is available): scikit-learn's mutual_info_regression algorithm for one
feature (scikit-learn itself is not installed here), written with SciPy's C++ k-d tree:
  scale x and y by their standard deviations, eps = the k-th neighbour distance in the
  max-norm (cKDTree.query, p = inf), r = nextafter(eps, 0), counts within r in each
  marginal (cKDTree.query_ball_point, return_length, as scikit-learn's KDTree
  query_radius), psi(n) + psi(k) - <psi(nx + 1) + psi(ny + 1)>, clipped at 0.
No noise is added (kl-wasm adds none). Reads x then y (n little-endian float64 each)
from the file argv[1]; prints JSON: median ms over argv[3] runs and the estimate.
"""
import json, sys, time
import numpy as np
import scipy
from scipy.spatial import cKDTree
from scipy.special import digamma

data = np.fromfile(sys.argv[1], dtype="<f8")
k = int(sys.argv[2])
reps = int(sys.argv[3])
n = data.size // 2
x0, y0 = data[:n], data[n:]

def ksg(x, y, k):
    x = x / np.std(x)
    y = y / np.std(y)
    xy = np.column_stack((x, y))
    eps = cKDTree(xy).query(xy, k=k + 1, p=np.inf)[0][:, -1]
    r = np.nextafter(eps, 0)
    nx = cKDTree(x[:, None]).query_ball_point(x[:, None], r, p=np.inf, return_length=True) - 1
    ny = cKDTree(y[:, None]).query_ball_point(y[:, None], r, p=np.inf, return_length=True) - 1
    mi = digamma(n) + digamma(k) - np.mean(digamma(nx + 1)) - np.mean(digamma(ny + 1))
    return max(0.0, float(mi))

times = []
for _ in range(reps):
    t = time.perf_counter()
    mi = ksg(x0, y0, k)
    times.append((time.perf_counter() - t) * 1e3)
print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__, "ms": float(np.median(times)), "mi": mi}))
