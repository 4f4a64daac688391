// k-NN estimators benchmark (issue 15): node bench/knn.mjs [--quick] [--json out.json] [--no-python]
//   [--no-features-python] [--n N] [--reps K] [--features-reps K] [--py-features-reps K]
//   [--mutual path/to/mutual.js (default dist/mutual.js)] [--reference path/to/reference.js (default dist/reference.js)]
//
// Workloads (the issue's speed section), N = 10^5 rows (--quick: 5000), data from bench/lib.mjs's mulberry32
// (seed 15015), normals by Box–Muller:
//   features  X: N × 20 continuous features (row-major), y = Σ_{j<5} x_j / (j + 1) + sin(x_5) + N(0, 1) continuous,
//             labels = 4 classes (y / 2 cut at −1, 0, 1);
//             mutualInformationFeatures(X, y, { cols: 20 }) against mutual_info_regression(X, y, n_jobs=1) and
//             mutualInformationFeatures(X, labels, { cols: 20, discreteTarget: true }) against mutual_info_classif;
//   ksg22     x, y: N × 2 each, Gaussians with corr(x_c, y_c) = 0.6; mutualInformationKSG(x, y, { xCols: 2, yCols: 2 });
//   kl        x ~ N(0, I_3), y ~ N(0.5, 1.5² I_3), N × 3 each; klDivergenceKNN(x, y, { cols: 3 }) (k = 1);
//   entropy   entropyKNN(x, { cols: 3 }) (k = 3, chebyshev) on the same x.
// kl-wasm (dist/mutual.js, needs `npm run build`) and kl-wasm/reference (dist/reference.js, the pure-TS twin): each
// case REPS calls (features: FEATURES_REPS), interleaved wasm / reference, a full GC before each call, medians; the
// first call's result is kept and compared with the other side.
// Python (bench/sklearn_knn.py, a separate process, run BEFORE the Node timings so they do not overlap) reads the same
// bits: this script writes every array as little-endian float64 files into a temporary folder. scikit-learn's
// mutual_info_regression / mutual_info_classif (n_jobs=1, random_state=0: its 1e-10 noise, which on these continuous
// data moves no count, so its values equal kl-wasm's within ~1e-6) and SciPy cKDTree versions of KSG 2+2, KL and
// entropy (scikit-learn has no such functions; workers = 1).
// Checks: kl-wasm = reference exactly (same algorithms, same counts); against Python within 1e-6 (features, KSG) and
// 1e-9 (KL, entropy); the features' tolerance widens to twice scikit-learn's own spread between random_state 0 and 1
// (measured in the same process: at 10^5 rows its noise moves counts, 1.3e-6 for mutual_info_classif). Progress to stderr, the markdown report to stdout.
import path from "node:path";
import os from "node:os";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { rng, gc, median, machine, machineLines, table, fmt, loadNow, watchOthers } from "./lib.mjs";

// ------------------------------------------------------------------ options
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const noPython = argv.includes("--no-python");
const noFeaturesPython = argv.includes("--no-features-python");
const argAt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const jsonPath = argAt("--json");
const N = Number(argAt("--n") ?? (quick ? 5000 : 100000));
const F = 20;
const REPS = Number(argAt("--reps") ?? (quick ? 3 : 7));
const FEATURES_REPS = Number(argAt("--features-reps") ?? (quick ? 3 : 5));
const PY_FEATURES_REPS = Number(argAt("--py-features-reps") ?? (quick ? 1 : 2));
const here = path.dirname(fileURLToPath(import.meta.url));
const mutualPath = path.resolve(argAt("--mutual") ?? path.join(here, "..", "dist", "mutual.js"));
const referencePath = path.resolve(argAt("--reference") ?? path.join(here, "..", "dist", "reference.js"));
const log = (...a) => console.error(...a);
const t0 = Date.now();
const json = { machine: machine(), quick, n: N, features: F, reps: REPS, featuresReps: FEATURES_REPS };

// ------------------------------------------------------------------ data
const next = rng(15015);
const unif = () => (next() + 0.5) / 4294967296;
let spare = null;
function normal() {
  if (spare !== null) { const s = spare; spare = null; return s; }
  const r = Math.sqrt(-2 * Math.log(unif())), t = 2 * Math.PI * unif();
  spare = r * Math.sin(t);
  return r * Math.cos(t);
}
log(`data: N = ${N}`);
const X = new Float64Array(N * F), y = new Float64Array(N), labels = new Float64Array(N);
for (let i = 0; i < N; i++) {
  let s = 0;
  for (let j = 0; j < F; j++) X[i * F + j] = normal() * (1 + j);
  for (let j = 0; j < 5; j++) s += X[i * F + j] / (j + 1) / (1 + j);
  y[i] = s + Math.sin(X[i * F + 5]) + normal();
  const u = y[i] / 2;
  labels[i] = u < -1 ? 0 : u < 0 ? 1 : u < 1 ? 2 : 3;
}
const ksgx = new Float64Array(2 * N), ksgy = new Float64Array(2 * N);
for (let i = 0; i < 2 * N; i++) { ksgx[i] = normal(); ksgy[i] = 0.6 * ksgx[i] + 0.8 * normal(); }
const klx = new Float64Array(3 * N), kly = new Float64Array(3 * N);
for (let i = 0; i < 3 * N; i++) { klx[i] = normal(); kly[i] = 0.5 + 1.5 * normal(); }
const labelsInt = Int32Array.from(labels);

// ------------------------------------------------------------------ Python first (never overlapping the Node timings)
let py = null;
if (!noPython) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kl-knn-"));
  try {
    const write = (name, a) => writeFileSync(path.join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    write("X.f64", X); write("y.f64", y); write("labels.f64", labels);
    write("ksgx.f64", ksgx); write("ksgy.f64", ksgy); write("klx.f64", klx); write("kly.f64", kly);
    const args = [path.join(here, "sklearn_knn.py"), dir, String(N), "--reps", String(REPS), "--features-reps", String(PY_FEATURES_REPS)];
    if (noFeaturesPython) args.push("--no-features");
    log(`python3 ${args.slice(1).join(" ")}`);
    py = JSON.parse(execFileSync("python3", args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 }));
    json.python = py;
  } catch (e) {
    log(`python peer failed: ${e.message.split("\n")[0]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ kl-wasm and the reference
const lib = {};
for (const [name, p] of [["wasm", mutualPath], ["reference", referencePath]]) {
  if (!existsSync(p)) { log(`${p} not found (npm run build): ${name} skipped`); continue; }
  const m = await import(pathToFileURL(p).href);
  if (typeof m.mutualInformationFeatures !== "function") { log(`${p} has no k-NN functions (rebuild): ${name} skipped`); continue; }
  lib[name] = m;
}
const cases = [
  { key: "regression", label: `mutualInformationFeatures, ${F} features × ${N}, continuous y`, reps: FEATURES_REPS,
    call: (m) => m.mutualInformationFeatures(X, y, { cols: F }), peer: "mutual_info_regression (n_jobs=1)" },
  { key: "classif", label: `mutualInformationFeatures, ${F} features × ${N}, 4 classes`, reps: FEATURES_REPS,
    call: (m) => m.mutualInformationFeatures(X, labelsInt, { cols: F, discreteTarget: true }), peer: "mutual_info_classif (n_jobs=1)" },
  { key: "ksg22", label: `mutualInformationKSG, xCols = yCols = 2, n = ${N}`, reps: REPS, target: 400,
    call: (m) => m.mutualInformationKSG(ksgx, ksgy, { xCols: 2, yCols: 2 }), peer: "SciPy cKDTree KSG1" },
  { key: "kl", label: `klDivergenceKNN, ${N} × 3 (k = 1)`, reps: REPS, target: 300,
    call: (m) => m.klDivergenceKNN(klx, kly, { cols: 3 }), peer: "SciPy cKDTree" },
  { key: "entropy", label: `entropyKNN, ${N} × 3 (k = 3, chebyshev)`, reps: REPS, target: 300,
    call: (m) => m.entropyKNN(klx, { cols: 3 }), peer: "SciPy cKDTree" },
];
const others = watchOthers();
const res = {};
for (const c of cases) {
  const names = Object.keys(lib);
  const ms = Object.fromEntries(names.map((n) => [n, []]));
  const value = {};
  for (let r = 0; r < c.reps; r++) {
    for (let j = 0; j < names.length; j++) {
      const n = names[(r + j) % names.length];
      gc();
      const t = performance.now();
      const v = c.call(lib[n]);
      ms[n].push(performance.now() - t);
      if (!(n in value)) value[n] = v;
    }
  }
  res[c.key] = { ms: Object.fromEntries(names.map((n) => [n, median(ms[n])])), samples: ms, value };
  log(`${c.key}: ${names.map((n) => `${n} ${fmt(median(ms[n]))} ms`).join(", ")}`);
}
const othersNode = others();
json.node = res;

// ------------------------------------------------------------------ checks
const asArr = (v) => (typeof v === "number" ? [v] : Array.from(v ?? []));
const maxDiff = (a, b) => Math.max(...asArr(a).map((v, i) => Math.abs(v - asArr(b)[i])));
const checks = [];
for (const c of cases) {
  const v = res[c.key].value;
  if (v.wasm !== undefined && v.reference !== undefined) checks.push([`${c.key}: kl-wasm vs reference`, maxDiff(v.wasm, v.reference), 0]);
  const p = py?.[c.key];
  const mine = v.wasm ?? v.reference;
  if (p && mine !== undefined) {
    // features: 1e-6, or twice scikit-learn's own spread between random_state 0 and 1 where its noise moves more
    const tol = c.key === "kl" || c.key === "entropy" ? 1e-9 : Math.max(1e-6, 2 * (p.spread ?? 0));
    checks.push([`${c.key}: kl-wasm vs Python${p.spread !== undefined ? ` (scikit-learn's spread over random_state 0/1: ${p.spread.toExponential(2)})` : ""}`,
      maxDiff(mine, p.values ?? p.value), tol]);
  }
}

// ------------------------------------------------------------------ report
const out = [];
const say = (s = "") => out.push(s);
say(`## k-NN estimators (issue 15)${quick ? " — quick run" : ""}`);
say();
for (const l of machineLines(json.machine)) say(l);
say();
const rows = cases.map((c) => {
  const r = res[c.key].ms, p = py?.[c.key]?.ms;
  const best = r.wasm ?? r.reference;
  return [c.label, fmt(r.wasm), fmt(r.reference), r.wasm && r.reference ? fmt(r.reference / r.wasm) + "×" : "–",
    p !== undefined ? `${fmt(p)} (${c.peer})` : "–", p !== undefined && best ? fmt(p / best) + "×" : "–"];
});
say(table(["case", "kl-wasm ms", "reference ms", "reference / wasm", "Python ms", "Python / kl-wasm"], rows));
say();
const tgt = [];
for (const c of cases) {
  const r = res[c.key].ms, p = py?.[c.key]?.ms, w = r.wasm ?? r.reference;
  if (c.target) tgt.push([`${c.key}: at most ${c.target} ms`, w !== undefined ? `${fmt(w)} ms ${w <= c.target ? "(met)" : "(NOT met)"}` : "–"]);
  else tgt.push([`${c.key}: at least 15× ${c.peer}`, p !== undefined && w ? `${fmt(p / w)}× ${p / w >= 15 ? "(met)" : "(NOT met)"}` : "–"]);
}
say(table(["target", "measured"], tgt));
say();
say(table(["check", "max |difference|", "tolerance", ""], checks.map(([n, d, t]) => [n, d.toExponential(2), t === 0 ? "0" : t.toExponential(2), d <= t ? "ok" : "FAILED"])));
say();
const secs = (Date.now() - t0) / 1000;
say(`Total ${secs.toFixed(0)} s; other activity kept ${othersNode ?? "?"} cores busy on average during the Node timings; load average at the end ${loadNow().join(", ")}.`);
console.log(out.join("\n"));
if (jsonPath) writeFileSync(jsonPath, JSON.stringify(json, null, 1));
if (checks.some(([, d, t]) => !(d <= t))) process.exitCode = 1;
