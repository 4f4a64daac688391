// driftReport of 100 numeric features x 10^5 rows per window (Sturges edges from the reference,
// PSI, JS, Wasserstein, KS) against the same pipeline in NumPy + SciPy (bench/numpy_drift_report.py,
// a separate process), on the built package (dist/drift.js: run `npm run build` first, and
// `npm run build:js` after changing the TypeScript).
//
// Usage: node bench/drift-report.mjs [--quick] [--stages] [--features 100] [--rows 100000] [--reps 5]
//   --quick   10 features (a short run)
//   --stages  also time the pipeline step by step on both sides (psi + JS; + Wasserstein; + KS), which
//             shows what the KS p-value (kstwo.sf, a Smirnov sum of up to ~n/2 terms) costs each side
// The runs are interleaved: each repetition times one driftReport call (after a GC) and then one run
// of the Python pipeline (its own process, its own timer around the per-feature loop, after a warm-up
// call), so that both sides see the same load; the medians of each side and the median of the
// per-repetition ratios are printed. Values are checked against Python's (largest relative difference).
// Short runs on a shared machine: the figures are noisy.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { gc, machine, machineLines, median, quantile, rng, watchOthers } from "./lib.mjs";

const has = (name) => process.argv.includes(`--${name}`);
const arg = (name, d) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const FEATURES = arg("features", has("quick") ? 10 : 100), ROWS = arg("rows", 100000), REPS = arg("reps", 5);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist/drift.js");
if (!existsSync(dist)) {
  console.error("bench/drift-report.mjs: dist/drift.js is missing; run `npm run build` first");
  process.exit(1);
}
const { driftReport, ready } = await import(pathToFileURL(dist).href);
await ready();

// the same data in both processes: mulberry32 uniforms -> Box-Muller normals; current shifted by feature
function table(seed, shift) {
  const next = rng(seed), cols = {};
  for (let j = 0; j < FEATURES; j++) {
    const x = new Float64Array(ROWS), mu = shift * (j % 5) * 0.05, sd = 1 + shift * (j % 3) * 0.1;
    for (let i = 0; i < ROWS; i += 2) {
      const u = (next() + 0.5) / 4294967296, v = (next() + 0.5) / 4294967296, r = Math.sqrt(-2 * Math.log(u));
      x[i] = mu + sd * r * Math.cos(2 * Math.PI * v);
      if (i + 1 < ROWS) x[i + 1] = mu + sd * r * Math.sin(2 * Math.PI * v);
    }
    cols[`f${j}`] = x;
  }
  return cols;
}
const reference = table(1, 0), current = table(2, 1);
const out = "/tmp/kl-wasm-bench-drift-report";
mkdirSync(out, { recursive: true });
const bin = join(out, `data-${FEATURES}x${ROWS}.bin`);
{
  const all = new Float64Array(2 * FEATURES * ROWS);
  for (let j = 0; j < FEATURES; j++) {
    all.set(reference[`f${j}`], j * ROWS);
    all.set(current[`f${j}`], (FEATURES + j) * ROWS);
  }
  writeFileSync(bin, all);
}
const options = { metrics: ["psi", "jensenShannonDistance", "wasserstein1", "ksTest"], bins: "sturges" };
const python = (reps, values, metrics = "psi,js,w,ks") => JSON.parse(execFileSync("python3",
  [join(root, "bench/numpy_drift_report.py"), bin, String(FEATURES), String(ROWS), String(reps), values ? "values" : "time", metrics],
  { encoding: "utf8", maxBuffer: 1 << 26 }));

const m = machine();
console.log(machineLines(m).join("\n"));

// values: driftReport against the Python pipeline
const first = driftReport(reference, current, options);
const py = python(1, true);
let worst = 0;
for (let j = 0; j < FEATURES; j++) {
  const f = first.features[j], p = py.values[j];
  for (const [k, v] of [["psi", p.psi], ["jensenShannonDistance", p.js], ["wasserstein1", p.w], ["ksTest", p.ks]]) {
    worst = Math.max(worst, Math.abs(f.values[k] - v) / Math.max(Math.abs(v), 1e-300));
  }
  worst = Math.max(worst, Math.abs(f.pvalue - p.pvalue) / Math.max(p.pvalue, 1e-300));
}

// timing, interleaved
let sink = 0;
function timed(opts, metrics) {
  const js = [], np = [], ratio = [];
  for (let rep = 0; rep < REPS; rep++) {
    gc();
    const t0 = performance.now();
    sink += driftReport(reference, current, opts).features.length;
    const t = performance.now() - t0;
    const p = python(1, false, metrics).ms;
    js.push(t);
    np.push(p);
    ratio.push(p / t);
  }
  return { js, np, ratio };
}
const others = watchOthers();
const { js, np, ratio } = timed(options);
const stages = !has("stages") ? [] : [
  ["psi + JS", ["psi", "jensenShannonDistance"], "psi,js"],
  ["psi + JS + Wasserstein", ["psi", "jensenShannonDistance", "wasserstein1"], "psi,js,w"],
].map(([name, metrics, pm]) => [name, timed({ ...options, metrics }, pm)]);
const busy = others();
const fmt = (xs) => `${median(xs).toFixed(0)} ms (quartiles ${quantile(xs, 0.25).toFixed(0)}–${quantile(xs, 0.75).toFixed(0)})`;
console.log(`\ndriftReport, ${FEATURES} numeric features x ${ROWS} rows per window (Sturges, PSI, JS, Wasserstein, KS), ${REPS} interleaved runs:`);
console.log(`- driftReport (dist/drift.js): ${fmt(js)}`);
console.log(`- NumPy + SciPy (separate process): ${fmt(np)}`);
console.log(`- ratio of medians ${(median(np) / median(js)).toFixed(2)}x; median of per-run ratios ${median(ratio).toFixed(2)}x`);
console.log(`- largest relative difference of a value (psi, JS, Wasserstein, KS statistic and p-value): ${worst.toExponential(2)}`);
for (const [name, t] of stages) {
  console.log(`- stage ${name}: driftReport ${fmt(t.js)}, NumPy + SciPy ${fmt(t.np)}, ` +
    `${(median(t.np) / median(t.js)).toFixed(2)}x (per-run ${median(t.ratio).toFixed(2)}x)`);
}
if (stages.length) {
  const w = stages[1][1], ks = (xs, ys) => median(xs) - median(ys);
  console.log(`- KS (statistic and p-value), by difference of medians: driftReport ${ks(js, w.js).toFixed(0)} ms, ` +
    `NumPy + SciPy ${ks(np, w.np).toFixed(0)} ms`);
}
console.log(`- other processes kept ${busy ?? "?"} of ${m.cores} cores busy during the runs${busy > 0.3 ? " (noisy)" : ""}` +
  (sink === FEATURES * REPS * (1 + stages.length) ? "" : " (?)"));
