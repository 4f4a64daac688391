// The k-NN estimators do not merge (a point's neighbours may sit on any shard), so past one machine
// they run on subsamples. This measures what that costs, on Gaussian data whose value is known in
// closed form: a full sample of N = 10^6 rows, its estimate, then the estimate on disjoint shards of
// n = 10^3, 10^4, 10^5 rows of a random permutation of it (what each machine would compute on its
// own part): the shards' mean, the spread (standard deviation) of one shard's estimate, the mean's
// distance from the full-sample estimate and from the closed form, and the time per call.
//
//   node --expose-gc scripts/scaling/subsample.mjs [--n 1000000] [--json out.json]
//
// Needs the built package (npm run build): kl-wasm/mutual and kl-wasm/distributions. Progress to
// stderr, the markdown report to stdout (docs/scaling.md's table). About 1.5 minutes at N = 10^6.
//
// Cases (seeded, mulberry32 uniforms from bench/lib.mjs, Box–Muller normals):
//   ksg       mutualInformationKSG(x, y), 1-D, corr 0.6, k = 3: I = −½ ln(1 − 0.6²)
//   features  mutualInformationFeatures(X, y, { cols: 4 }), y = Σ_j x_j b_j + N(0, 1), b = (1, 0.5, 0.25, 0):
//             feature 0's estimate, I = −½ ln(1 − corr(x_0, y)²)
//   entropy   entropyKNN(x, { cols: 3 }), x ~ N(0, I_3), k = 3: h = (3/2) ln(2πe)
//   kl        klDivergenceKNN(x, y, { cols: 3 }), x ~ N(0, I_3), y ~ N(0.5, 1.5² I_3), k = 1 (both sides
//             subsampled to n): klDivergenceOf of the two multivariate normals
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { mutualInformationKSG, mutualInformationFeatures, entropyKNN, klDivergenceKNN } from "kl-wasm/mutual";
import { multivariateNormal, klDivergenceOf, entropyOf } from "kl-wasm/distributions";
import { rng, gc, median, machine, machineLines, table, fmt, watchOthers, loadNow } from "../../bench/lib.mjs";

const argv = process.argv.slice(2);
const argAt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const N = Number(argAt("--n") ?? 1_000_000);
const jsonPath = argAt("--json");
const SIZES = [1000, 10_000, 100_000].filter((n) => n < N);
/** Shards per size: disjoint, at most this many (and N / n). */
const MAX_SHARDS = { 1000: 100, 10_000: 40, 100_000: 10 };
const log = (...a) => console.error(...a);

// ------------------------------------------------------------------ data

/** A seeded standard normal generator (Box–Muller on mulberry32's uniforms in (0, 1)). */
function normals(seed) {
  const next = rng(seed), u = () => (next() + 0.5) / 4294967296;
  let spare;
  return () => {
    if (spare !== undefined) { const z = spare; spare = undefined; return z; }
    const r = Math.sqrt(-2 * Math.log(u())), a = 2 * Math.PI * u();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };
}

/** rows × cols row-major of independent N(mean, sd²) values. */
function gaussian(rows, cols, seed, mean = 0, sd = 1) {
  const z = normals(seed), out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = mean + sd * z();
  return out;
}

/** The rows of `data` (cols wide) at `idx`, as a new array. */
function take(data, cols, idx) {
  const out = new Float64Array(idx.length * cols);
  for (let k = 0; k < idx.length; k++) for (let j = 0; j < cols; j++) out[k * cols + j] = data[idx[k] * cols + j];
  return out;
}

/** A seeded random permutation of 0 … n − 1 (Fisher–Yates). */
function permutation(n, seed) {
  const next = rng(seed), p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((next() / 4294967296) * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

function makeCases() {
  const rho = 0.6, x = gaussian(N, 1, 101), e = gaussian(N, 1, 102);
  const y = x.map((v, i) => rho * v + Math.sqrt(1 - rho * rho) * e[i]);
  const b = [1, 0.5, 0.25, 0], F = b.length, X = gaussian(N, F, 103), noise = gaussian(N, 1, 104);
  const target = noise.map((v, i) => v + b.reduce((s, bj, j) => s + bj * X[i * F + j], 0));
  const varY = 1 + b.reduce((s, bj) => s + bj * bj, 0), r0 = b[0] / Math.sqrt(varY);
  const x3 = gaussian(N, 3, 105), y3 = gaussian(N, 3, 106, 0.5, 1.5);
  const I3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  // each case: pick(idx) copies the rows of a shard (all rows without idx), call(args) estimates: only call is timed
  return [
    {
      name: "mutualInformationKSG, 1-D, corr 0.6, k = 3", truth: -0.5 * Math.log(1 - rho * rho),
      pick: (idx) => (idx ? [take(x, 1, idx), take(y, 1, idx)] : [x, y]),
      call: ([a, b]) => mutualInformationKSG(a, b),
    },
    {
      name: "mutualInformationFeatures, 4 features, feature 0 (corr 0.67)", truth: -0.5 * Math.log(1 - r0 * r0),
      pick: (idx) => (idx ? [take(X, F, idx), take(target, 1, idx)] : [X, target]),
      call: ([a, b]) => mutualInformationFeatures(a, b, { cols: F })[0],
    },
    {
      name: "entropyKNN, 3-D N(0, I), k = 3", truth: entropyOf(multivariateNormal([0, 0, 0], { cov: I3 })),
      pick: (idx) => [idx ? take(x3, 3, idx) : x3],
      call: ([a]) => entropyKNN(a, { cols: 3 }),
    },
    {
      name: "klDivergenceKNN, 3-D N(0, I) ‖ N(0.5, 1.5² I), k = 1",
      truth: klDivergenceOf(multivariateNormal([0, 0, 0], { cov: I3 }), multivariateNormal([0.5, 0.5, 0.5], { cov: I3.map((v) => v * 2.25) })),
      pick: (idx) => (idx ? [take(x3, 3, idx), take(y3, 3, idx)] : [x3, y3]),
      call: ([a, b]) => klDivergenceKNN(a, b, { cols: 3 }),
    },
  ];
}

// ------------------------------------------------------------------ measurement

/** The estimate of case c on the rows idx (all rows without it), and the time of the estimate alone. */
function timed(c, idx) {
  const args = c.pick(idx);
  gc();
  const t = performance.now(), value = c.call(args);
  return { value, ms: performance.now() - t };
}

const mean = (xs) => xs.reduce((s, v) => s + v, 0) / xs.length;
const sd = (xs) => { const m = mean(xs); return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1)); };

const info = machine();
const others = watchOthers();
log(`subsample: N = ${N}, sizes ${SIZES.join(", ")}; load average ${loadNow().join(", ")}`);
const perm = permutation(N, 17);
const results = [];
for (const c of makeCases()) {
  for (let w = 0; w < 3; w++) timed(c, perm.subarray(w * 1000, (w + 1) * 1000)); // compile and warm up before timing
  const full = timed(c);
  log(`${c.name}: full ${full.value} in ${full.ms.toFixed(0)} ms (truth ${c.truth})`);
  const row = { name: c.name, truth: c.truth, full: full.value, fullMs: full.ms, sizes: [] };
  for (const n of SIZES) {
    const shards = Math.min(MAX_SHARDS[n], Math.floor(N / n)), values = [], ms = [];
    for (let s = 0; s < shards; s++) {
      const r = timed(c, perm.subarray(s * n, (s + 1) * n));
      values.push(r.value);
      ms.push(r.ms);
    }
    const m = mean(values), spread = sd(values);
    row.sizes.push({ n, shards, mean: m, sd: spread, vsFull: m - full.value, vsTruth: m - c.truth, stdErr: spread / Math.sqrt(shards), ms: median(ms) });
    log(`  n = ${n}: ${shards} shards, mean ${m}, sd ${spread}, ${median(ms).toFixed(2)} ms a call`);
  }
  results.push(row);
}
const othersBusy = others();

// ------------------------------------------------------------------ report

const lines = [];
lines.push(`### k-NN estimates on disjoint shards of a ${N.toLocaleString("en")}-row Gaussian sample`, "");
lines.push(...machineLines(info));
lines.push(`- other processes kept ${othersBusy ?? "?"} of ${info.cores} cores busy on average during the run${othersBusy > 0.3 ? " (a shared machine: times are inflated and noisy)" : ""}`, "");
const rowsOut = [];
for (const r of results) {
  rowsOut.push([r.name, `N = ${N}`, 1, r.full.toPrecision(5), "–", "–", (r.full - r.truth).toExponential(1), "–", fmt(r.fullMs), fmt(N / r.fullMs / 1000)]);
  for (const s of r.sizes) {
    rowsOut.push(["", `n = ${s.n}`, s.shards, s.mean.toPrecision(5), s.sd.toExponential(1), s.vsFull.toExponential(1), s.vsTruth.toExponential(1),
      s.stdErr.toExponential(1), fmt(s.ms), fmt(s.n / s.ms / 1000)]);
  }
}
lines.push(table(["estimator (closed form below)", "sample", "shards", "mean of shards", "sd of one shard", "mean − full", "mean − closed form", "sd / √shards", "ms a call", "M rows/s"], rowsOut), "");
lines.push("Closed forms: " + results.map((r) => `${r.name.split(",")[0]} ${r.truth.toPrecision(6)}`).join("; ") + ".");
console.log(lines.join("\n"));
if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ machine: info, othersBusy, n: N, results }, null, 2));
