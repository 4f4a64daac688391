// kl-wasm/parallel benchmark (issue 17): node bench/parallel.mjs [--quick] [--threads T] [--reps K] [--thresholds]
//   [--logits] [--only kl,rows,pairwise,knn,drift,logits] [--json out.json]. Needs `npm run build` (dist/parallel.js, dist/index.js, dist/pairwise.js, dist/logits.js).
//
// Workloads (issue 17's targets on a 2-core machine, threads = 2):
//   klDivergence at n = 10^7 float64 (target >= 1.8x the synchronous call), klDivergenceRows 1000 x 1000 (>= 1.5x),
//   pairwise 2000 x 2000 x 500 jensenShannonDistance (>= 1.8x); --quick: 10^6, 300 x 1000, 500 x 500 x 500.
//   Inputs: distributions from bench/lib.mjs makeData (seeded), on SharedArrayBuffer (pool.f64: the workers read
//   them in place) and, as a second pool contender, the same values on ordinary ArrayBuffers (the discrete measures
//   then run on the calling thread: copies do not pay for them; pairwise copies them to the workers at each call).
// Timing: each repetition takes one call of every contender (the order rotated each repetition, a full GC before each
// call; one untimed call each first, whose result must equal the synchronous one bit for bit); medians; ratios are
// synchronous median / pool median. The pool's workers are started before (pool.ready()).
//   k-NN estimators (kl-wasm/mutual, docs/knn.md's benchmark data at n = 10^5, --quick 10^4): mutualInformationFeatures
//   20 features, continuous y (target >= 1.8x) and 4 classes; mutualInformationKSG 2 + 2 columns; entropyKNN and
//   klDivergenceKNN 3 columns. Their inputs are copied to shared memory by the pool at each call (a contender each).
//   Two untimed calls of each, then 9 timed (5 before 2026-11-28): each worker compiles its own modules, and its first
//   calls run V8's baseline code for them (a fresh pool's first mutualInformationFeatures call took ~120 ms more CPU
//   than the later ones, its second ~70 ms: 591, 540, then 450-490 ms of CPU), which the 41 calls of the discrete measures
//   absorb and 1 untimed + 5 timed did not.
//   kl-wasm/drift's histogram of 10^7 samples (--quick 10^6) into 100 bins, on shared memory and on an ordinary
//   buffer; kl-wasm/fit's gaussianFit of a 2-component mixture on 2001 points over a 100 × 100 grid (--quick 40 × 40).
//   kl-wasm/logits (issue 13; --logits: these alone): klDivergenceLogits 256 × 32000 float32 at T = 2 ("batchmean"),
//   forward and with the gradient (float32), and crossEntropyLogits 4096 × 32000 float32 ("mean"; --quick 512 rows),
//   forward and with the gradient: synchronous, the pool on shared memory (gradient on shared memory too), the pool on
//   ordinary buffers (runs on the calling thread), and the pool copying ordinary buffers to the workers (TUNING
//   logitsCopies, what the default does not do). With the gradient, the gradient is compared bit for bit.
// --thresholds: the break-even sizes: klDivergence over n = 2^13 … 2^20 and pairwise JS distance over m = n rows of
//   64 columns (m·n·64 pair-elements), synchronous vs pool on shared memory, with the pool's thresholds set to 1
//   (every call to the workers); prints each ratio.
import os from "node:os";
import { makeData, median, gc, rng } from "./lib.mjs";

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, d) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : d; };
const quick = flag("--quick"), threads = value("--threads", 2), reps = value("--reps", quick ? 7 : 9);
const logitsOnly = flag("--logits");
/** --only: these workloads alone (kl: klDivergence 10^7, rows: klDivergenceRows, pairwise, knn, drift: histogram and
 *  gaussianFit, logits); --logits: the logits alone; else all. */
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : logitsOnly ? ["logits"] : undefined;
const want = (k) => only === undefined || only.includes(k);
const jsonPath = args.includes("--json") ? args[args.indexOf("--json") + 1] : undefined;

const par = await import("../dist/parallel.js");
const kl = await import("../dist/index.js");
const pw = await import("../dist/pairwise.js");
const mu = await import("../dist/mutual.js");
const TUNING = Symbol.for("kl-wasm/parallel.tuning");

const log = (s) => process.stderr.write(`${s}\n`);
const pool = par.createPool({ threads });
await pool.ready();

/** Float64Array copies of x on shared memory (pool.f64) and on an ordinary buffer. */
const onShared = (x) => { const y = pool.f64(x.length); y.set(x); return y; };

async function time(contenders, reps, warm = 1) {
  const ts = contenders.map(() => []), cpu = contenders.map(() => []);
  // untimed first calls (`warm` of each), checked against the first contender (the synchronous call)
  const first = [];
  for (const c of contenders) first.push(await c.fn());
  for (let w = 1; w < warm; w++) for (const c of contenders) await c.fn();
  const want = first[0];
  for (let i = 1; i < first.length; i++) {
    const a = ArrayBuffer.isView(want) ? want : [want], b = ArrayBuffer.isView(first[i]) ? first[i] : [first[i]];
    for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) throw new Error(`${contenders[i].name}: result differs from the synchronous call at ${k}`);
  }
  for (let r = 0; r < reps; r++) {
    for (let j = 0; j < contenders.length; j++) {
      const k = (j + r) % contenders.length;
      gc();
      const c0 = process.cpuUsage(), t0 = performance.now();
      await contenders[k].fn();
      ts[k].push(performance.now() - t0);
      const c1 = process.cpuUsage(c0);
      cpu[k].push((c1.user + c1.system) / 1000);
    }
  }
  return contenders.map((c, i) => ({ name: c.name, ms: median(ts[i]), min: Math.min(...ts[i]), cpu: median(cpu[i]) }));
}

const results = [], sweeps = [], KNN_REPS = 9;
/** k repetitions (the discrete measures' calls are short: 41, which also warm the workers' code up as a
 *  long-running program would have; 1000 x 1000 gave 1.38x with 9 at load 2.5-4.6 and 1.62x with 101 at load 1.4:
 *  how much of that is the warm-up and how much the load was not separated). */
async function workload(title, target, sync, shared, plain, k = reps) {
  log(`${title} ...`);
  const rows = await time([{ name: "synchronous", fn: sync }, { name: `pool (${threads} threads), SharedArrayBuffer`, fn: shared },
    { name: `pool (${threads} threads), ordinary buffers`, fn: plain }], k);
  const base = rows[0].ms;
  for (const r of rows) r.ratio = base / r.ms;
  results.push({ title, target, rows });
}

// ------------------------------------------------------------------ the targets
if (want("kl")) {
  const n = quick ? 1e6 : 1e7, { p, q } = makeData(1, n, 1);
  const ps = onShared(p), qs = onShared(q);
  await workload(`klDivergence, n = ${n.toExponential(0)} float64`, 1.8, () => kl.klDivergence(ps, qs), () => pool.klDivergence(ps, qs), () => pool.klDivergence(p, q), Math.max(reps, 41));
}
if (want("rows")) {
  const rows = quick ? 300 : 1000, cols = 1000, { p, q } = makeData(rows, cols, 2);
  const ps = onShared(p), qs = onShared(q);
  await workload(`klDivergenceRows, ${rows} × ${cols} float64`, 1.5, () => kl.klDivergenceRows(ps, qs, cols), () => pool.klDivergenceRows(ps, qs, cols),
    () => pool.klDivergenceRows(p, q, cols), Math.max(reps, 41));
}
if (want("pairwise")) {
  const m = quick ? 500 : 2000, cols = 500, X = makeData(m, cols, 3).p, Y = makeData(m, cols, 4).p;
  const Xs = onShared(X), Ys = onShared(Y), o = { metric: "jensenShannonDistance" };
  await workload(`pairwise, ${m} × ${m} × ${cols} jensenShannonDistance float64`, 1.8, () => pw.pairwise(Xs, Ys, cols, o), () => pool.pairwise(Xs, Ys, cols, o),
    () => pool.pairwise(X, Y, cols, o));
}

// ------------------------------------------------------------------ the k-NN estimators (src/parallel/knn.ts)
if (want("knn")) {
  const N = quick ? 1e4 : 1e5, F = 20, r32 = rng(15), rand = () => r32() / 4294967296, gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const X = new Float64Array(N * F), y = new Float64Array(N), labels = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < F; j++) X[i * F + j] = gauss();
    y[i] = X[i * F] + X[i * F + 1] / 2 + X[i * F + 2] / 3 + Math.sin(X[i * F + 5]) + gauss();
    labels[i] = y[i] < -1 ? 0 : y[i] < 0 ? 1 : y[i] < 1 ? 2 : 3;
  }
  const x2 = X.slice(0, 2 * N), y2 = Float64Array.from(x2, (v, i) => v + 0.5 * X[2 * N + i]), x3 = X.slice(0, 3 * N), z3 = X.slice(3 * N, 6 * N);
  const knn = async (title, target, sync, par) => {
    log(`${title} ...`);
    const rows = await time([{ name: "synchronous", fn: sync }, { name: `pool (${threads} threads)`, fn: par }], quick ? reps : KNN_REPS, 2);
    for (const r of rows) r.ratio = rows[0].ms / r.ms;
    results.push({ title, target, rows });
  };
  const o = { cols: F }, oc = { cols: F, discreteTarget: true };
  await knn(`mutualInformationFeatures, ${F} features × ${N}, continuous y`, 1.8, () => mu.mutualInformationFeatures(X, y, o), () => pool.mutualInformationFeatures(X, y, o));
  await knn(`mutualInformationFeatures, ${F} features × ${N}, 4 classes`, undefined, () => mu.mutualInformationFeatures(X, labels, oc), () => pool.mutualInformationFeatures(X, labels, oc));
  const k2 = { xCols: 2, yCols: 2 };
  await knn(`mutualInformationKSG, 2 + 2 columns × ${N}`, undefined, () => mu.mutualInformationKSG(x2, y2, k2), () => pool.mutualInformationKSG(x2, y2, k2));
  await knn(`entropyKNN, 3 columns × ${N}`, undefined, () => mu.entropyKNN(x3, { cols: 3 }), () => pool.entropyKNN(x3, { cols: 3 }));
  await knn(`klDivergenceKNN, 3 columns × ${N}`, undefined, () => mu.klDivergenceKNN(x3, z3, { cols: 3 }), () => pool.klDivergenceKNN(x3, z3, { cols: 3 }));
}

// ------------------------------------------------------------------ histogram and gaussianFit (src/parallel/drift.ts, fit.ts)
if (want("drift")) {
  const dr = await import("../dist/drift.js"), fit = await import("../dist/fit.js");
  const n = quick ? 1e6 : 1e7, r32 = rng(16), x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (r32() + r32() + r32()) / 4294967296 - 1.5;
  const xs = onShared(x), edges = Array.from({ length: 101 }, (_, i) => -1.5 + i * 0.03);
  await workload(`histogram, ${n.toExponential(0)} samples, 100 bins`, undefined, () => dr.histogram(xs, edges).counts,
    async () => (await pool.histogram(xs, edges)).counts, async () => (await pool.histogram(x, edges)).counts);
  const g = fit.linspace(-8, 8, 2001), p = fit.mixturePdf(g, { weights: [0.4, 0.6], mus: [-2, 2], sigmas: [0.7, 1.2] }), m = quick ? 40 : 100;
  const o = { mus: fit.linspace(-5, 5, m), sigmas: fit.linspace(0.2, 4, m) };
  log(`gaussianFit ${m} x ${m} ...`);
  const rows = await time([{ name: "synchronous", fn: () => fit.gaussianFit(p, g, o).losses }, { name: `pool (${threads} threads)`, fn: async () => (await pool.gaussianFit(p, g, o)).losses }], reps);
  for (const r of rows) r.ratio = rows[0].ms / r.ms;
  results.push({ title: `gaussianFit, 2001 points, ${m} × ${m} grid, refined`, target: undefined, rows });
}

// ------------------------------------------------------------------ kl-wasm/logits (src/parallel/logits.ts)
if (want("logits")) {
  const lg = await import("../dist/logits.js"), copying = par.createPool({ threads, [TUNING]: { logitsCopies: true } });
  await copying.ready();
  const r32 = rng(17), f32 = (n) => { const x = new Float32Array(n); for (let i = 0; i < n; i++) x[i] = (r32() / 4294967296 - 0.5) * 16; return x; };
  const f32s = (x) => { const y = pool.f32(x.length); y.set(x); return y; };
  const logits = async (title, target, n, sync, par, grad) => {
    log(`${title} ...`);
    // the gradient: each contender's own (shared for the pool on shared memory), returned for the comparison
    const g = grad ? [new Float32Array(n), pool.f32(n), new Float32Array(n), new Float32Array(n)] : [];
    const run = (i, f, x) => async () => { const v = await f(x, grad ? { grad: g[i] } : undefined); return grad ? g[i] : v; };
    const rows = await time([{ name: "synchronous", fn: run(0, sync, "s") }, { name: `pool (${threads} threads), SharedArrayBuffer`, fn: run(1, par(pool), "s") },
      { name: `pool (${threads} threads), ordinary buffers`, fn: run(2, par(pool), "o") },
      { name: `pool (${threads} threads), ordinary buffers copied`, fn: run(3, par(copying), "o") }], reps);
    for (const r of rows) r.ratio = rows[0].ms / r.ms;
    results.push({ title, target, rows });
  };
  {
    const rows = 256, cols = 32000, t = f32(rows * cols), s = f32(rows * cols), ts = f32s(t), ss = f32s(s);
    const arg = (x) => (x === "s" ? [ts, ss] : [t, s]);
    for (const grad of [false, true]) {
      await logits(`klDivergenceLogits, ${rows} × ${cols} float32, T = 2${grad ? ", with the gradient" : ""}`, undefined, rows * cols,
        (x, o) => lg.klDivergenceLogits(...arg("s"), cols, { temperature: 2, ...o }), (p) => (x, o) => p.klDivergenceLogits(...arg(x), cols, { temperature: 2, ...o }), grad);
    }
  }
  {
    const rows = quick ? 512 : 4096, cols = 32000, x = f32(rows * cols), xs = f32s(x), y = Int32Array.from({ length: rows }, () => r32() % cols);
    for (const grad of [false, true]) {
      await logits(`crossEntropyLogits, ${rows} × ${cols} float32${grad ? ", with the gradient" : ""}`, undefined, rows * cols,
        (_, o) => lg.crossEntropyLogits(xs, y, cols, o), (p) => (k, o) => p.crossEntropyLogits(k === "s" ? xs : x, y, cols, o), grad);
    }
  }
  if (flag("--thresholds")) {
    const all = par.createPool({ threads, [TUNING]: { logits: 1 } });
    await all.ready();
    for (let e = 12; e <= 20; e += 1) {
      const cols = 1000, rows = Math.max(2, Math.round(2 ** e / cols)), t = f32s(f32(rows * cols)), s = f32s(f32(rows * cols));
      const [a, b] = await time([{ name: "sync", fn: () => lg.klDivergenceLogits(t, s, cols) }, { name: "pool", fn: () => all.klDivergenceLogits(t, s, cols) }], 15);
      sweeps.push({ what: "klDivergenceLogits f32", size: rows * cols, sync: a.ms, pool: b.ms, ratio: a.ms / b.ms });
      log(`klDivergenceLogits ${rows} x ${cols}: ${(a.ms / b.ms).toFixed(2)}x`);
    }
    await all.close();
  }
  await copying.close();
}

// ------------------------------------------------------------------ break-even sizes
if (flag("--thresholds") && !logitsOnly) {
  const all = par.createPool({ threads, [TUNING]: { rows: 1, pairs: 1 } });
  await all.ready();
  for (let e = 13; e <= 20; e++) {
    const n = 2 ** e, { p, q } = makeData(1, n, 5), ps = onShared(p), qs = onShared(q);
    const [s, a] = await time([{ name: "sync", fn: () => kl.klDivergence(ps, qs) }, { name: "pool", fn: () => all.klDivergence(ps, qs) }], 15);
    sweeps.push({ what: "klDivergence", size: n, sync: s.ms, pool: a.ms, ratio: s.ms / a.ms });
    log(`klDivergence n = 2^${e}: ${(s.ms / a.ms).toFixed(2)}x`);
  }
  for (const m of [64, 128, 192, 256, 384, 512]) {
    const X = onShared(makeData(m, 64, 6).p), Y = onShared(makeData(m, 64, 7).p), o = { metric: "jensenShannonDistance" };
    const [s, a] = await time([{ name: "sync", fn: () => pw.pairwise(X, Y, 64, o) }, { name: "pool", fn: () => all.pairwise(X, Y, 64, o) }], 9);
    sweeps.push({ what: "pairwise", size: m * m * 64, sync: s.ms, pool: a.ms, ratio: s.ms / a.ms });
    log(`pairwise ${m} x ${m} x 64 (2^${Math.log2(m * m * 64).toFixed(1)}): ${(s.ms / a.ms).toFixed(2)}x`);
  }
  await all.close();
}
await pool.close();

// ------------------------------------------------------------------ report
const load = os.loadavg().map((x) => x.toFixed(2)).join(" ");
console.log(`## kl-wasm/parallel (node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, load average ${load})\n`);
console.log(`Medians of ${reps} interleaved calls each (the discrete measures: ${Math.max(reps, 41)}; the k-NN estimators: ${quick ? reps : KNN_REPS} after 2 untimed); ratio = synchronous / this; min: the fastest call. CPU: the process's CPU time per call, all`);
console.log("threads (process.cpuUsage): unlike the wall clock it does not count time spent waiting for a core another job holds,");
console.log(`so synchronous CPU / pool CPU is the pool's efficiency, and ${threads} × it bounds the ratio on an idle machine.\n`);
console.log("| workload | contender | median ms | min ms | ratio | CPU ms | efficiency | target |");
console.log("|---|---|---:|---:|---:|---:|---:|---:|");
for (const w of results) {
  for (const r of w.rows) {
    console.log(`| ${w.title} | ${r.name} | ${r.ms.toFixed(2)} | ${r.min.toFixed(2)} | ${r.ratio.toFixed(2)}× | ${r.cpu.toFixed(1)} | ${(w.rows[0].cpu / r.cpu).toFixed(2)} | ${w.target !== undefined && r.name.startsWith("pool") && !r.name.includes("ordinary") ? `≥ ${w.target}×` : ""} |`);
  }
}
if (sweeps.length > 0) {
  console.log("\n| break-even sweep | size | sync ms | pool ms | ratio |\n|---|---:|---:|---:|---:|");
  for (const s of sweeps) console.log(`| ${s.what} | ${s.size} | ${s.sync.toFixed(3)} | ${s.pool.toFixed(3)} | ${s.ratio.toFixed(2)}× |`);
}
if (jsonPath !== undefined) (await import("node:fs")).writeFileSync(jsonPath, JSON.stringify({ results, sweeps, load }, null, 2));
