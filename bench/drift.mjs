// Binning benchmark (kl-wasm/drift's histogram): node bench/drift.mjs [--quick] [--n N] [--rounds R]
//
// Runs against the built package (dist/drift.js, dist/reference-drift.js for the twin,
// dist/index.js for workspaces): `npm run build` first (after changing kernels:
// `npm run build:wasm && npm run build:js`).
// 10^7 normal samples (seeded) into 50 bins: equal-width edges (linspace(-4, 4, 51)), 50
// arbitrary sorted edges, each for float64 and float32 input, timed in this process
// (bench/lib.mjs measure(): interleaved, medians), and NumPy's np.histogram in a separate
// process (bench/numpy_drift.py, medians). The two alternate: R rounds of kl-wasm then
// NumPy, and each figure is the median of the rounds' medians, so that both see the same
// machine load. Each kl-wasm round runs in a fresh Node process (this script with --round), as
// each NumPy round does: on this VM one process's heap-array calls were steadily 14.6 ms and
// another's 24 ms (10^7 float64, 50 bins, the same build, 6 processes in a row; within a process
// the spread is a few %), so figures from one process drew one sample of that spread
// (docs/drift/histogram.md, Speed). --in-process keeps the rounds in this process.
// Prints the machine and the commit, the ratios, issue 12's targets (one line), and
// the twin/engine timings at small n (the engine runs the twin below SMALL_BINNING).
import path from "node:path";
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { pathToFileURL, fileURLToPath } from "node:url";
import { rng, measure, machine, machineLines, table, fmt, fmtN, getSink, median } from "./lib.mjs";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
/** --round: one round of the 10^7 calls (and the twin with --twin), printed as JSON: the child a round runs in. */
const child = argv.includes("--round"), inProcess = argv.includes("--in-process");
const arg = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : def; };
const N = arg("--n", 1e7);
const ROUNDS = arg("--rounds", quick ? 3 : 5);
const REPS = quick ? 3 : 7;
const log = (...a) => console.error(...a);
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = (f) => path.join(here, "..", "dist", f);
if (!existsSync(dist("drift.js"))) {
  console.error("dist/drift.js is missing: run `npm run build` first");
  process.exit(1);
}
const wasm = await import(pathToFileURL(dist("drift.js")).href);
const twin = await import(pathToFileURL(dist("reference-drift.js")).href);
const { createWorkspace } = await import(pathToFileURL(dist("index.js")).href);

// ------------------------------------------------------------------ data
const next = rng(12345);
const uni = () => (next() + 0.5) / 4294967296;
function normals(n) {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uni())), t = 2 * Math.PI * uni();
    x[i] = r * Math.cos(t);
    if (i + 1 < n) x[i + 1] = r * Math.sin(t);
  }
  return x;
}
const x64 = normals(N), x32 = new Float32Array(x64);
const uniform = Float64Array.from({ length: 51 }, (_, i) => -4 + (8 * i) / 50);
const arbitrary = Float64Array.from([-4, 4, ...Array.from(normals(49), (v) => v * 1.5)]).sort();

const sum = (r) => r.counts[7] + r.under;

// ------------------------------------------------------------------ small n (first: right after the 10^7 calls the
// first small sizes were transiently slow)
const small = [];
if (!child) log("small n ...");
for (const n of child ? [] : [64, 128, 159, 160, 192, 256, 512, 2048]) {
  const xs = x64.slice(0, n);
  const r = measure([
    { name: "wasm", fn: () => sum(wasm.histogram(xs, uniform)) },
    { name: "twin", fn: () => sum(twin.histogram(xs, uniform)) },
    { name: "wasm-arb", fn: () => sum(wasm.histogram(xs, arbitrary)) },
    { name: "twin-arb", fn: () => sum(twin.histogram(xs, arbitrary)) },
  ], { reps: quick ? 5 : 11 });
  small.push([String(n), ...["wasm", "twin", "wasm-arb", "twin-arb"].map((k) => fmt(r[k].nsPerCall))]);
}

// ------------------------------------------------------------------ 10^7
const cases = [];
for (const [edgesName, edges] of [["50 equal-width", uniform], ["50 arbitrary", arbitrary]]) {
  for (const [type, x] of [["f64", x64], ["f32", x32]]) {
    cases.push({ name: `${edgesName}, ${type}`, edgesName, type, fn: () => sum(wasm.histogram(x, edges)) });
  }
}
// the same samples in a workspace (read in place: no staging copy)
const ws = createWorkspace(12 * N + 4096), view = ws.f64(N), view32 = ws.f32(N);
view.set(x64);
view32.set(x32);
for (const [edgesName, edges] of [["50 equal-width", uniform], ["50 arbitrary", arbitrary]]) {
  cases.push({ name: `${edgesName}, f64 workspace view`, edgesName, type: "f64", fn: () => sum(wasm.histogram(view, edges)) });
  cases.push({ name: `${edgesName}, f32 workspace view`, edgesName, type: "f32", fn: () => sum(wasm.histogram(view32, edges)) });
}
/** One round: kl-wasm's cases (medians of REPS), and the twin's float64 heap cases if `withTwin`; ms. */
function round(withTwin) {
  const res = measure(cases.map((c) => ({ name: c.name, fn: c.fn })), { reps: REPS, minSampleMs: 20, targetSampleMs: 20, warmupMs: 100 });
  const out = { wasm: Object.fromEntries(cases.map((c) => [c.name, res[c.name].nsPerCall / 1e6])), twin: {} };
  if (withTwin) {
    const tw = measure(cases.filter((c) => c.type === "f64" && !c.name.includes("view")).map((c) => ({ name: c.name,
      fn: () => sum(twin.histogram(x64, c.edgesName.includes("equal") ? uniform : arbitrary)) })),
    { reps: quick ? 2 : 3, minSampleMs: 20, targetSampleMs: 20, warmupMs: 100 });
    for (const k in tw) out.twin[k] = tw[k].nsPerCall / 1e6;
  }
  return out;
}
if (child) {
  console.log(JSON.stringify(round(argv.includes("--twin"))));
  process.exit(0);
}
const rounds = { wasm: {}, twin: {}, py: [] };
for (let r = 0; r < ROUNDS; r++) {
  const withTwin = r === 0 || !quick;
  log(`round ${r + 1}/${ROUNDS}: kl-wasm at n = ${fmtN(N)}${withTwin ? " (and the twin)" : ""}${inProcess ? "" : ", in a fresh process"} ...`);
  const res = inProcess ? round(withTwin) : JSON.parse(execFileSync(process.execPath,
    [fileURLToPath(import.meta.url), "--round", "--n", String(N), ...(quick ? ["--quick"] : []), ...(withTwin ? ["--twin"] : [])],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 600_000 }));
  for (const k in res.wasm) (rounds.wasm[k] ??= []).push(res.wasm[k]);
  for (const k in res.twin) (rounds.twin[k] ??= []).push(res.twin[k]);
  try {
    log("  NumPy (bench/numpy_drift.py) ...");
    rounds.py.push(JSON.parse(execFileSync("python3", [path.join(here, "numpy_drift.py"), String(REPS), String(N)],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 600_000 })));
  } catch (e) {
    log(`NumPy contender skipped: ${e.message}`);
  }
}
const med = (xs) => (xs && xs.length ? median(xs) : undefined);
const py = rounds.py.length ? Object.fromEntries(Object.keys(rounds.py[0]).map((k) => [k, typeof rounds.py[0][k] === "number" &&
  k.includes("_") ? med(rounds.py.map((p) => p[k])) : rounds.py[0][k]])) : undefined;
const wasmMs = Object.fromEntries(Object.entries(rounds.wasm).map(([k, v]) => [k, med(v)]));
const rows = cases.map((c) => {
  const w = wasmMs[c.name], all = rounds.wasm[c.name];
  const t = med(rounds.twin[c.name]);
  const key = `${c.type}_${c.edgesName.includes("equal") ? "uniform_edges" : "arbitrary"}`;
  const np = py?.[key], npRange = c.edgesName.includes("equal") ? py?.[`${c.type}_uniform_range`] : undefined;
  const best = npRange === undefined ? np : Math.min(np, npRange);
  return [c.name, fmt(w), `${fmt(Math.min(...all))}–${fmt(Math.max(...all))}`, t === undefined ? "–" : fmt(t),
    np === undefined ? "–" : fmt(np), npRange === undefined ? "–" : fmt(npRange), best === undefined ? "–" : fmt(best / w) + "x"];
});
const m = machine();
console.log(`### histogram of ${fmtN(N)} normal samples (ms; median over ${ROUNDS} rounds of each round's median${inProcess ? "" : ", each kl-wasm round in a fresh Node process"})\n`);
console.log(machineLines(m).join("\n") + (py ? `\n- NumPy ${py.numpy} (separate process, ${py.reps} calls a round, median), alternating with kl-wasm` : "") + "\n");
console.log(table(["case", "kl-wasm", "rounds' range", "twin", "np edges", "np bins=50,range", "vs best NumPy"], rows));
// paired within each round (the same process and minutes), then the median over the rounds
const f32ratio = (e, v = "") => median(rounds.wasm[`${e}, f64${v}`].map((t, r) => t / rounds.wasm[`${e}, f32${v}`][r]));
console.log(`\nfloat32 speed-up over float64 (same edges; median over the rounds of each round's ratio): equal-width ${fmt(f32ratio("50 equal-width"))}x, ` +
  `arbitrary ${fmt(f32ratio("50 arbitrary"))}x; workspace views: ${fmt(f32ratio("50 equal-width", " workspace view"))}x, ` +
  `${fmt(f32ratio("50 arbitrary", " workspace view"))}x`);
// issue 12's targets, from the medians above: heap arrays (as users pass them), NumPy's faster call for each case
const vsNumPy = (name) => { const row = rows.find((r) => r[0] === name); return row ? row[6] : "–"; };
console.log(`\nissue 12's targets: 50 equal-width, f64 ${vsNumPy("50 equal-width, f64")} np.histogram (target 3x); ` +
  `50 arbitrary, f64 ${vsNumPy("50 arbitrary, f64")} (target 2x); float32 ${fmt(f32ratio("50 equal-width"))}x / ` +
  `${fmt(f32ratio("50 arbitrary"))}x its float64 speed (target 1.5x)`);
console.log(`\n### small n (ns per call; the engine runs the twin below SMALL_BINNING = 160)\n`);
console.log(table(["n", "engine, equal", "twin, equal", "engine, arbitrary", "twin, arbitrary"], small));
log(`(sink ${getSink()})`);
