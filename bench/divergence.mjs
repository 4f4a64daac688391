// Divergence benchmark (kl-wasm/divergences, issue 16): node bench/divergence.mjs [--quick] [--no-python] [--reps K]
//   [--rows R] [--cols C] [--numpy-cold]
//
// Workload: R × C = 1000 × 1000 rows (--quick: 200 × 1000) from bench/lib.mjs's makeData (seed 12345: p with 10%
// zeros, q without, each row a distribution), float64. Each measure's *Rows call over all rows:
//   kl-wasm (dist/divergences.js; needs `npm run build`), kl-wasm/reference (dist/reference.js, pure TypeScript),
//   and NumPy/SciPy (bench/numpy_divergence.py in a separate process, on the same bits through a temporary file: the
//   row-wise NumPy formula a user writes, e.g. log(Σ p^α q^(1−α)) / (α − 1) along axis 1; Jeffreys from
//   scipy.special.rel_entr both ways). Its repetitions run back to back, P and Q warm in the caches; --numpy-cold writes
//   64 MiB before each of them, as the GC and the other contender do before each Node call here (the order 2
//   entropy, memory-bound: NumPy ~1.0 ms warm, ~1.85 ms cold on the 2-core VM).
// Interleaved in this process: each repetition calls every Node contender once (order rotated, a full GC before each
// call; one untimed call first, whose result is checked against the reference within 1e-12 relative + 1e-14);
// medians. The markdown report goes to stdout.
import path from "node:path";
import os from "node:os";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { gc, median, machine, machineLines, table, fmt, makeData } from "./lib.mjs";

const argv = process.argv.slice(2);
const argAt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const quick = argv.includes("--quick"), noPython = argv.includes("--no-python"), numpyCold = argv.includes("--numpy-cold");
const ROWS = Number(argAt("--rows") ?? (quick ? 200 : 1000)), COLS = Number(argAt("--cols") ?? 1000);
const REPS = Number(argAt("--reps") ?? (quick ? 3 : 7));
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wasm = await import(pathToFileURL(path.join(root, "dist/divergences.js")).href);
const ref = await import(pathToFileURL(path.join(root, "dist/reference.js")).href);
const { p, q } = makeData(ROWS, COLS);
// Jeffreys is +Infinity wherever p has its zeros: q against the midpoint of p and q instead (no zeros)
const mid = q.map((v, i) => (v + p[i]) / 2);

// [name, call(api)]: the NumPy peer computes the measure of the same name
const CASES = [
  ["renyiEntropy α=2", (a) => a.renyiEntropyRows(p, 2, COLS)],
  ["renyiDivergence α=0.7", (a) => a.renyiDivergenceRows(p, q, 0.7, COLS)],
  ["renyiDivergence α=1.5", (a) => a.renyiDivergenceRows(p, q, 1.5, COLS)],
  ["tsallisEntropy q=1.5", (a) => a.tsallisEntropyRows(p, 1.5, COLS)],
  // a general order (q = 1.5 takes square roots: p √p): one log and one exp per value
  ["tsallisEntropy q=1.3", (a) => a.tsallisEntropyRows(p, 1.3, COLS)],
  ["hellingerDistance", (a) => a.hellingerDistanceRows(p, q, COLS)],
  ["totalVariation", (a) => a.totalVariationRows(p, q, COLS)],
  ["chiSquareDivergence", (a) => a.chiSquareDivergenceRows(p, q, COLS)],
  ["jeffreysDivergence", (a) => a.jeffreysDivergenceRows(q, mid, COLS)],
  ["bhattacharyyaDistance", (a) => a.bhattacharyyaDistanceRows(p, q, COLS)],
];

function time(f) {
  gc();
  const t = performance.now();
  f();
  return performance.now() - t;
}

const rows = [];
for (const [name, call] of CASES) {
  const w = call(wasm), r = call(ref);
  for (let i = 0; i < ROWS; i++) {
    const err = Math.abs(w[i] - r[i]);
    if (!(err <= 1e-12 * Math.abs(r[i]) + 1e-14) && !(w[i] === r[i])) throw new Error(`${name} row ${i}: wasm ${w[i]}, reference ${r[i]}`);
  }
  const tw = [], tr = [];
  for (let k = 0; k < REPS; k++) {
    if (k % 2) { tw.push(time(() => call(wasm))); tr.push(time(() => call(ref))); }
    else { tr.push(time(() => call(ref))); tw.push(time(() => call(wasm))); }
  }
  rows.push({ name, wasm: median(tw), ref: median(tr) });
  process.stderr.write(`${name}: wasm ${fmt(median(tw))} ms, reference ${fmt(median(tr))} ms\n`);
}

let py = {};
if (!noPython) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kl-div-bench-"));
  try {
    writeFileSync(path.join(dir, "p.f64"), Buffer.from(p.buffer));
    writeFileSync(path.join(dir, "q.f64"), Buffer.from(q.buffer));
    py = JSON.parse(execFileSync("python3", [path.join(root, "bench/numpy_divergence.py"), dir, String(ROWS), String(COLS), String(REPS),
      ...(numpyCold ? ["cold"] : [])],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 600_000 }));
  } catch (e) {
    py = { error: String(e.message).split("\n")[0] };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

const m = machine();
console.log(`## kl-wasm/divergences: ${ROWS} × ${COLS} rows (float64), median of ${REPS}\n`);
console.log(machineLines(m).join("\n") + "\n");
if (py.error) console.log(`NumPy peer: not run (${py.error})\n`);
else if (py.versions) console.log(`NumPy peer: ${py.versions} (the formulas as written; values not checked here; ${numpyCold ? "64 MiB written before each call" : "repetitions back to back, warm caches"})\n`);
console.log(table(["measure", "kl-wasm ms", "reference ms", "NumPy ms", "kl-wasm vs NumPy", "kl-wasm vs reference"],
  rows.map((r) => [r.name, fmt(r.wasm), fmt(r.ref), fmt(py.times?.[r.name]), py.times?.[r.name] ? `${fmt(py.times[r.name] / r.wasm)}×` : "–",
    `${fmt(r.ref / r.wasm)}×`])));
