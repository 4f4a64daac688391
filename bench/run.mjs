// kl-wasm benchmark: `npm run bench` (= node bench/run.mjs) [--quick] [--json out.json] [--no-tf]
//
// Every contender of a table runs interleaved in this one process: in each
// repetition each contender takes one timing sample (the order rotated by one
// every repetition), each sample loops enough calls to last >= 2 ms (calibrated
// once per contender and size), and the tables show the MEDIAN sample. All
// contenders get the same seeded data: p uniform in (0, 1) with ~10% zeros,
// normalised to sum 1; q uniform in (0, 1), normalised too. Each contender's value is checked
// against kl-wasm/reference (relative 1e-9 for float64 paths, 1e-4 for float32
// paths, against the reference on the float32-rounded data).
//
// Needs `npm run build` first (imports dist/). Progress goes to stderr, the
// markdown report to stdout.
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { execFileSync } from "node:child_process";
import path from "node:path";
import * as core from "../dist/index.js";
import * as fitEntry from "../dist/fit.js";
import * as mutualEntry from "../dist/mutual.js";
/** The WebAssembly build: kl-wasm, kl-wasm/fit, kl-wasm/mutual. */
const wasm = { ...core, ...fitEntry, ...mutualEntry };
import * as ref from "../dist/reference.js";
import { rng, makeData, measure, machine, machineLines, table, fmt, fmtN, relErr, getSink, loadNow, watchOthers, loadTfWasm } from "./lib.mjs";
// the peers this benchmark compares with (TensorFlow.js, ml-distance) are not
// devDependencies: scripts/peers.mjs installs them on first use into .peers/bench/
import { peerImport } from "../scripts/peers.mjs";

// ------------------------------------------------------------------ options
/** Runs a Python peer beside this file (python3 with NumPy and SciPy) and parses the
 *  JSON it prints; throws when it cannot run. */
function python(script, ...args) {
  return JSON.parse(execFileSync("python3", [path.join(path.dirname(new URL(import.meta.url).pathname), script), ...args],
    { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 300_000 }));
}

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const jsonAt = argv.indexOf("--json");
const jsonPath = jsonAt >= 0 ? argv[jsonAt + 1] : undefined;
if (jsonAt >= 0 && (!jsonPath || jsonPath.startsWith("--"))) {
  console.error("usage: node bench/run.mjs [--quick] [--json out.json]");
  process.exit(2);
}
const noTf = argv.includes("--no-tf");

const SIZES = quick ? [3, 100, 1e4, 1e6] : [3, 100, 1e4, 1e6, 1e7];
const REPS = quick ? { 3: 15, 100: 15, 1e4: 11, 1e6: 7, 1e7: 5 } : { 3: 101, 100: 101, 1e4: 61, 1e6: 31, 1e7: 21 };
const REPS_OTHER = quick ? 7 : 31;
const TOL = { f64: 1e-9, f32: 1e-4 };
const EPS = 1e-15;

const log = (...a) => console.error(...a);
const t0 = Date.now();
const others = watchOthers();

// ------------------------------------------------------------------ contenders
function plainKl(p, q) {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i];
    if (x > 0) {
      const y = q[i];
      const yc = y < EPS ? EPS : y > 1 ? 1 : y;
      s += x * Math.log(x / yc);
    }
  }
  return s;
}
function plainEntropy(p) {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i];
    if (x > 0) s -= x * Math.log(x);
  }
  return s;
}
function plainJs(p, q) {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i], y = q[i];
    const m = (x + y) / 2;
    if (x > 0) s += x * Math.log(x / m);
    if (y > 0) s += y * Math.log(y / m);
  }
  return s / 2;
}
// For the validation section: the plain loop plus the checks, and plus the compensated sum.
function checkedKl(p, q) {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i], y = q[i];
    if (!(x >= 0 && x < Infinity) || !(y >= 0 && y < Infinity)) throw new RangeError(`bad value at ${i}`);
    if (x > 0) {
      const yc = y < EPS ? EPS : y > 1 ? 1 : y;
      s += x * Math.log(x / yc);
    }
  }
  return s;
}
function neumaierKl(p, q) {
  let s = 0, c = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i];
    if (x > 0) {
      const y = q[i];
      const yc = y < EPS ? EPS : y > 1 ? 1 : y;
      const t = x * Math.log(x / yc), u = s + t;
      c += Math.abs(s) >= Math.abs(t) ? (s - u) + t : (t - u) + s;
      s = u;
    }
  }
  return s + c;
}

let mlKl;
try {
  const ml = await peerImport("bench", "ml-distance");
  mlKl = ml.distance.kullbackLeibler;
} catch (e) {
  log(`ml-distance unavailable: ${e.message}`);
}

// TensorFlow.js with the WebAssembly backend, its .wasm files loaded from the package's dist/.
const { tf, info: tfInfo } = await loadTfWasm(noTf, log);
/** The whole call: tensors from the Float32Arrays, the expression, dataSync, disposal. */
const tfKl = (p32, q32) => () => {
  const r = tf.tidy(() => {
    const P = tf.tensor1d(p32), Q = tf.tensor1d(q32);
    const t = tf.mul(P, tf.log(tf.div(P, tf.clipByValue(Q, EPS, 1))));
    return tf.sum(tf.where(tf.greater(P, 0), t, tf.zerosLike(t)));
  });
  const v = r.dataSync()[0];
  r.dispose();
  return v;
};

/** Float32 copies, and zero-copy views of p and q (f64 and f32) in two workspaces. */
function variants(p, q) {
  const n = p.length;
  const p32 = Float32Array.from(p), q32 = Float32Array.from(q);
  const pad = (bytes) => Math.ceil(bytes / 64) * 64 + 64;
  const ws64 = wasm.createWorkspace(2 * pad(n * 8));
  const ws32 = wasm.createWorkspace(2 * pad(n * 4));
  const wp = ws64.f64(n), wq = ws64.f64(n), wp32 = ws32.f32(n), wq32 = ws32.f32(n);
  wp.set(p); wq.set(q); wp32.set(p32); wq32.set(q32);
  // the float32 paths' expected values: the reference on the float32-rounded data
  // (as Float64Arrays, so the reference's loops only ever see one array type)
  const p32as64 = Float64Array.from(p32), q32as64 = Float64Array.from(q32);
  return { p32, q32, wp, wq, wp32, wq32, p32as64, q32as64, dispose: () => { ws64.dispose(); ws32.dispose(); } };
}

/** Adds nsPerElement, expected value, relative error and check verdict to measure()'s results. */
function judge(results, contenders, n, expected) {
  for (const c of contenders) {
    const r = results[c.name];
    r.nsPerElement = r.nsPerCall / n;
    r.kind = c.kind;
    r.expected = expected[c.kind];
    r.relErr = Array.isArray(r.value) || ArrayBuffer.isView(r.value)
      ? Math.max(...Array.from(r.value, (v, i) => relErr(v, r.expected[i])))
      : relErr(r.value, r.expected);
    r.ok = r.relErr <= TOL[c.kind];
    if (!r.ok && c.semantics) r.note = c.semantics;
    if (Array.isArray(r.value) || ArrayBuffer.isView(r.value)) r.value = Array.from(r.value.slice(0, 4));
    if (Array.isArray(r.expected) || ArrayBuffer.isView(r.expected)) r.expected = Array.from(r.expected.slice(0, 4));
  }
  return results;
}

const checkText = (r) => {
  if (r.ok) return "ok";
  if (r.note) return `${r.note} (value ${fmtValue(r.value)} vs ${fmtValue(r.expected)})`;
  return `⚠ rel err ${r.relErr.toExponential(1)} (value ${fmtValue(r.value)} vs ${fmtValue(r.expected)})`;
};
const fmtValue = (v) => (Number.isFinite(v) ? v.toPrecision(6) : String(v));

// ------------------------------------------------------------------ 1-2: klDivergence over n
const json = { machine: machine(), quick, tf: tfInfo, tolerance: TOL, kl: {}, entropy: {}, jensenShannon: {}, klDivergenceRows: {}, validation: {}, gaussianFits: {} };
const out = [];
const say = (s = "") => out.push(s);

say("# kl-wasm benchmark");
say();
for (const l of machineLines(json.machine)) say(l);
say(`- mode: ${quick ? "--quick" : "full"}; median of interleaved repetitions (order rotated each repetition), each sample >= 2 ms of back-to-back calls, full GC before each sample`);
say(`- data: p uniform in (0, 1) with ~10% zeros, q uniform in (0, 1), both normalised to sum 1 (so the default check passes and is timed); seed 12345, the same arrays for every contender`);
say(`- TF.js: ${tfInfo.ok ? `@tensorflow/tfjs-core ${tfInfo.version} + tfjs-backend-wasm (SIMD ${tfInfo.simd ? "on" : "off"}, threads ${tfInfo.threads ? "on" : "off"})` : `NOT RUN: ${tfInfo.error}`}`);

const KL_NAMES = [];
for (const n of SIZES) {
  log(`klDivergence n=${n}: preparing data`);
  const { p, q } = makeData(1, n);
  const v = variants(p, q);
  const expected = {
    f64: ref.klDivergence(p, q),
    f32: ref.klDivergence(v.p32as64, v.q32as64),
  };
  const contenders = [
    { name: "wasm f64", kind: "f64", fn: () => wasm.klDivergence(p, q) },
    { name: "wasm f64 zero-copy", kind: "f64", fn: () => wasm.klDivergence(v.wp, v.wq) },
    { name: "wasm f32", kind: "f32", fn: () => wasm.klDivergence(v.p32, v.q32) },
    { name: "wasm f32 zero-copy", kind: "f32", fn: () => wasm.klDivergence(v.wp32, v.wq32) },
    { name: "reference", kind: "f64", fn: () => ref.klDivergence(p, q) },
    { name: "plain JS loop", kind: "f64", fn: () => plainKl(p, q) },
  ];
  if (mlKl) contenders.push({ name: "ml-distance", kind: "f64", fn: () => mlKl(p, q), semantics: "different semantics: no clip, 0·log 0 = NaN" });
  if (tfInfo.ok) contenders.push({ name: "TF.js wasm (f32)", kind: "f32", fn: tfKl(v.p32, v.q32) });
  if (KL_NAMES.length === 0) KL_NAMES.push(...contenders.map((c) => c.name));
  log(`klDivergence n=${n}: timing ${contenders.length} contenders x ${REPS[n]} repetitions`);
  json.kl[n] = judge(measure(contenders, { reps: REPS[n] }), contenders, n, expected);
  v.dispose();
  log(`  done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

{
  const cols = SIZES.map((n) => `n=${fmtN(n)}`);
  say();
  say("## klDivergence: ns per element (median)");
  say();
  say(`n=3 is also shown as ns per call. Below SMALL = 32 elements the facade runs the pure-TS twin (workspace views included), so every "wasm" row at n=3 measures that path.`);
  say();
  const rows = KL_NAMES.map((name) => {
    const cells = [];
    const first = json.kl[SIZES[0]][name];
    cells.push(fmt(first.nsPerCall));
    for (const n of SIZES) {
      const r = json.kl[n][name];
      cells.push(fmt(r.nsPerElement) + (r.ok ? "" : r.note ? " †" : " ⚠"));
    }
    const bad = SIZES.filter((n) => !json.kl[n][name].ok);
    const check = bad.length === 0 ? "ok"
      : json.kl[bad[0]][name].note ? `† ${json.kl[bad[0]][name].note}${bad.length < SIZES.length ? ` (n=${bad.map(fmtN).join(", ")})` : ""}`
      : "⚠ " + bad.map((n) => `n=${fmtN(n)}: ${checkText(json.kl[n][name]).slice(2)}`).join("; ");
    return [name, ...cells, check];
  });
  say(table(["contender", `n=${SIZES[0]} ns/call`, ...cols, "check vs reference"], rows));
  say();
  say("## klDivergence: speed vs reference (reference time / contender time; > 1 = faster)");
  say();
  const ratioRows = KL_NAMES.map((name) => [name, ...SIZES.map((n) => fmt(json.kl[n].reference.nsPerCall / json.kl[n][name].nsPerCall) + "×")]);
  say(table(["contender", ...cols], ratioRows));
  if (!tfInfo.ok) {
    say();
    say(`TF.js wasm backend was not benchmarked: ${tfInfo.error}`);
  } else if (SIZES.some((n) => !json.kl[n]["TF.js wasm (f32)"].ok)) {
    say();
    say("⚠ TF.js: its sum reduces in float32, so its error grows with n (the expression is the same; the values are checked against the reference on the same float32 data).");
  }
}

// ------------------------------------------------------------------ small calls and eps: 0
// The foundation issue's two figures: a Float64Array of 3 with no options against a
// plain JS loop without checks (target: at least 0.67x its speed), and eps: 0 against
// the default eps at n = 10^6 (target: within 1.3x the time).
{
  log("small calls and eps: 0: timing");
  const { p, q } = makeData(1, 3);
  const small = [
    { name: "plain JS loop (no checks)", kind: "f64", fn: () => plainKl(p, q) },
    { name: "wasm klDivergence", kind: "f64", fn: () => wasm.klDivergence(p, q) },
    { name: "reference klDivergence", kind: "f64", fn: () => ref.klDivergence(p, q) },
  ];
  json.smallCalls = judge(measure(small, { reps: REPS[3] }), small, 3, { f64: ref.klDivergence(p, q) });
  const n = 1e6, big = makeData(1, n), v = variants(big.p, big.q);
  const pairs = [["f64", big.p, big.q], ["f64 zero-copy", v.wp, v.wq], ["f32", v.p32, v.q32], ["f32 zero-copy", v.wp32, v.wq32]];
  const eps = pairs.flatMap(([name, a, b]) => [
    { name: `${name} default eps`, kind: name.startsWith("f32") ? "f32" : "f64", fn: () => wasm.klDivergence(a, b) },
    { name: `${name} eps: 0`, kind: name.startsWith("f32") ? "f32" : "f64", fn: () => wasm.klDivergence(a, b, { eps: 0 }) },
  ]);
  json.eps0 = judge(measure(eps, { reps: REPS_OTHER }), eps, n,
    { f64: ref.klDivergence(big.p, big.q), f32: ref.klDivergence(v.p32as64, v.q32as64) });
  v.dispose();
  log(`  done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  const sc = json.smallCalls, plain = sc["plain JS loop (no checks)"].nsPerCall;
  say();
  say("## Small calls and eps: 0");
  say();
  say(`A Float64Array of 3 with no options (median of ${REPS[3]}); every check is kept: values, the sums' check, the clip. Target: at least 0.67x the plain loop's speed.`);
  say();
  say(table(["call", "ns/call", "speed vs plain JS loop", "check"], small.map((c) =>
    [c.name, fmt(sc[c.name].nsPerCall), fmt(plain / sc[c.name].nsPerCall) + "×", checkText(sc[c.name])])));
  say();
  say(`klDivergence at n=10^6 with eps: 0 (SciPy's exact answer) against the default eps = 1e-15 (median of ${REPS_OTHER}). Target: within 1.3x the time.`);
  say();
  say(table(["input", "default ns/el", "eps: 0 ns/el", "eps: 0 time / default time", "check"], pairs.map(([name]) => {
    const d = json.eps0[`${name} default eps`], z = json.eps0[`${name} eps: 0`];
    return [name, fmt(d.nsPerElement), fmt(z.nsPerElement), fmt(z.nsPerCall / d.nsPerCall) + "×", d.ok && z.ok ? "ok" : checkText(d.ok ? z : d)];
  })));
}

// ------------------------------------------------------------------ 3: entropy, jensenShannon at 10^6, klDivergenceRows 1000 x 1000
{
  const n = 1e6;
  log(`entropy / jensenShannon n=${n}: preparing data`);
  const { p, q } = makeData(1, n);
  const v = variants(p, q);
  const sections = [
    {
      key: "entropy",
      expected: { f64: ref.entropy(p), f32: ref.entropy(v.p32as64) },
      contenders: [
        { name: "wasm f64", kind: "f64", fn: () => wasm.entropy(p) },
        { name: "wasm f64 zero-copy", kind: "f64", fn: () => wasm.entropy(v.wp) },
        { name: "wasm f32", kind: "f32", fn: () => wasm.entropy(v.p32) },
        { name: "wasm f32 zero-copy", kind: "f32", fn: () => wasm.entropy(v.wp32) },
        { name: "reference", kind: "f64", fn: () => ref.entropy(p) },
        { name: "plain JS loop", kind: "f64", fn: () => plainEntropy(p) },
      ],
    },
    {
      key: "jensenShannon",
      expected: { f64: ref.jensenShannon(p, q), f32: ref.jensenShannon(v.p32as64, v.q32as64) },
      contenders: [
        { name: "wasm f64", kind: "f64", fn: () => wasm.jensenShannon(p, q) },
        { name: "wasm f64 zero-copy", kind: "f64", fn: () => wasm.jensenShannon(v.wp, v.wq) },
        { name: "wasm f32", kind: "f32", fn: () => wasm.jensenShannon(v.p32, v.q32) },
        { name: "wasm f32 zero-copy", kind: "f32", fn: () => wasm.jensenShannon(v.wp32, v.wq32) },
        { name: "reference", kind: "f64", fn: () => ref.jensenShannon(p, q) },
        { name: "plain JS loop", kind: "f64", fn: () => plainJs(p, q) },
      ],
    },
  ];
  for (const s of sections) {
    log(`${s.key} n=${n}: timing ${s.contenders.length} contenders x ${REPS_OTHER} repetitions`);
    json[s.key][n] = judge(measure(s.contenders, { reps: REPS_OTHER }), s.contenders, n, s.expected);
    log(`  done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }

  // 4: the cost of validation, decomposed at n = 10^6
  log(`validation n=${n}: timing`);
  const vc = [
    { name: "plain JS loop", kind: "f64", fn: () => plainKl(p, q) },
    { name: "+ checks (plain sum)", kind: "f64", fn: () => checkedKl(p, q) },
    { name: "+ compensated sum (no checks)", kind: "f64", fn: () => neumaierKl(p, q) },
    { name: "reference", kind: "f64", fn: () => ref.klDivergence(p, q) },
    { name: "wasm f64 zero-copy", kind: "f64", fn: () => wasm.klDivergence(v.wp, v.wq) },
  ];
  json.validation[n] = judge(measure(vc, { reps: REPS_OTHER }), vc, n, { f64: ref.klDivergence(p, q) });
  v.dispose();
  log(`  done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

  say();
  say(`## entropy and jensenShannon at n=10^6: ns per element (median of ${REPS_OTHER}) and speed vs reference`);
  say();
  const names = sections[0].contenders.map((c) => c.name);
  const e = json.entropy[n], j = json.jensenShannon[n];
  say(table(["contender", "entropy ns/el", "entropy vs ref", "jensenShannon ns/el", "jensenShannon vs ref", "check vs reference"],
    names.map((name) => [
      name,
      fmt(e[name].nsPerElement), fmt(e.reference.nsPerCall / e[name].nsPerCall) + "×",
      fmt(j[name].nsPerElement), fmt(j.reference.nsPerCall / j[name].nsPerCall) + "×",
      [e[name].ok ? "" : `entropy ${checkText(e[name])}`, j[name].ok ? "" : `JS ${checkText(j[name])}`].filter(Boolean).join("; ") || "ok",
    ])));
}

{
  const rows = 1000, cols = 1000, n = rows * cols;
  log(`klDivergenceRows ${rows}x${cols}: preparing data`);
  const { p, q } = makeData(rows, cols);
  const v = variants(p, q);
  const expected = {
    f64: ref.klDivergenceRows(p, q, cols),
    f32: ref.klDivergenceRows(v.p32as64, v.q32as64, cols),
  };
  // the timing loop adds up numbers: each call contributes its first row, and the
  // check looks at the last call's whole result (kept in `last`)
  const last = {};
  const keep = (name, f) => () => { const r = f(); last[name] = r; return r[0]; };
  const contenders = [
    { name: "wasm f64", kind: "f64", fn: keep("wasm f64", () => wasm.klDivergenceRows(p, q, cols)) },
    { name: "wasm f64 zero-copy", kind: "f64", fn: keep("wasm f64 zero-copy", () => wasm.klDivergenceRows(v.wp, v.wq, cols)) },
    { name: "wasm f32", kind: "f32", fn: keep("wasm f32", () => wasm.klDivergenceRows(v.p32, v.q32, cols)) },
    { name: "wasm f32 zero-copy", kind: "f32", fn: keep("wasm f32 zero-copy", () => wasm.klDivergenceRows(v.wp32, v.wq32, cols)) },
    { name: "reference", kind: "f64", fn: keep("reference", () => ref.klDivergenceRows(p, q, cols)) },
  ];
  log(`klDivergenceRows: timing ${contenders.length} contenders x ${REPS_OTHER} repetitions`);
  const res = measure(contenders, { reps: REPS_OTHER });
  for (const c of contenders) res[c.name].value = last[c.name];
  json.klDivergenceRows[`${rows}x${cols}`] = judge(res, contenders, n, expected);
  v.dispose();
  log(`  done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

  say();
  say(`## klDivergenceRows on a ${rows} x ${cols} matrix: ns per element (median of ${REPS_OTHER}) and speed vs reference`);
  say();
  say(table(["contender", "ns/el", "ms/call", "vs reference", "check vs reference (max over rows)"],
    contenders.map(({ name }) => [name, fmt(res[name].nsPerElement), fmt(res[name].nsPerCall / 1e6),
      fmt(res.reference.nsPerCall / res[name].nsPerCall) + "×", checkText(res[name])])));
}

// ------------------------------------------------------------------ 4: the cost of validation
{
  say();
  say("## The cost of validation");
  say();
  say("The WebAssembly kernels and the reference check every value (finite, >= 0) in the same pass as the sum, and the reference also sums with Neumaier compensation. The plain JS loop does neither. klDivergence, ns per element:");
  say();
  say(table(["n", "plain JS loop (no checks)", "reference (checks + compensated sum)", "reference / plain", "wasm f64 zero-copy (checks in kernel)", "plain / wasm zero-copy"],
    SIZES.map((n) => {
      const r = json.kl[n];
      return [`n=${fmtN(n)}`, fmt(r["plain JS loop"].nsPerElement), fmt(r.reference.nsPerElement),
        fmt(r.reference.nsPerCall / r["plain JS loop"].nsPerCall) + "×",
        fmt(r["wasm f64 zero-copy"].nsPerElement), fmt(r["plain JS loop"].nsPerCall / r["wasm f64 zero-copy"].nsPerCall) + "×"];
    })));
  say();
  const n = 1e6, r = json.validation[n];
  say(`Decomposed at n=10^6 (separate interleaved run, median of ${REPS_OTHER}); the middle rows are bench-only loops:`);
  say();
  say(table(["variant", "ns/el", "vs plain JS loop", "check"],
    Object.keys(r).map((name) => [name, fmt(r[name].nsPerElement), fmt(r[name].nsPerCall / r["plain JS loop"].nsPerCall) + "× time", checkText(r[name])])));
}

// ------------------------------------------------------------------ 5: Gaussian fits (section 2 of the seed)
{
  log("gaussian fits: preparing");
  const x = wasm.linspace(-5, 5, 1000), dx = x[1] - x[0];
  const p = wasm.normalizeDensity(wasm.mixturePdf(x, { weights: [0.5, 0.5], mus: [-2, 2], sigmas: [0.6, 0.6] }), dx);
  const mus = wasm.linspace(-3, 3, 40), sigmas = wasm.linspace(0.3, 3.0, 40);
  const o = (direction, refine = false) => ({ direction, mus, sigmas, refine });
  const both = (lib, refine) => () => lib.gaussianFit(p, x, o("forward", refine)).losses[0] + lib.gaussianFit(p, x, o("reverse", refine)).losses[0];
  const contenders = [
    { name: "wasm: both surfaces", fn: both(wasm, false) },
    { name: "wasm: forward surface", fn: () => wasm.gaussianFit(p, x, o("forward")).losses[0] },
    { name: "wasm: reverse surface", fn: () => wasm.gaussianFit(p, x, o("reverse")).losses[0] },
    { name: "wasm: both fits, refined (modes, Nelder-Mead)", fn: both(wasm, true) },
    { name: "reference: both surfaces (pdf, clip, log per term)", fn: both(ref, false) },
  ];
  const reps = quick ? 7 : REPS_OTHER;
  log(`gaussian fits: timing ${contenders.length} contenders x ${reps} repetitions`);
  const res = measure(contenders, { reps });
  json.gaussianFits = res;
  // NumPy / SciPy in a separate process, if this machine has them
  let py;
  try {
    py = python("numpy_fits.py", String(quick ? 5 : 21));
    json.numpy = py;
  } catch {
    py = undefined;
  }
  log(`  done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  const ms = (name) => res[name].nsPerCall / 1e6;
  const both2 = ms("wasm: both surfaces");
  const terms = 1600 * 1000;
  say();
  say(`## Gaussian fits: the seed's two 40 x 40 loss surfaces on 1000 points (median of ${reps})`);
  say();
  say("Each surface is 1600 × 1000 clipped log-ratio terms. ms per call, and ns per term for single surfaces:");
  say();
  const rows = contenders.map(({ name }) => {
    const t = ms(name);
    const perTerm = name.includes("forward surface") || name.includes("reverse surface") ? fmt((t * 1e6) / terms) : "";
    return [name, fmt(t), perTerm, fmt(t / both2) + "×"];
  });
  if (py) {
    rows.push([`NumPy ${py.numpy} + SciPy ${py.scipy}: the seed's code as written (separate process)`, fmt(py.seed_ms), "", fmt(py.seed_ms / both2) + "×"]);
    rows.push(["NumPy: vectorised per sigma, log-space clip, one exp per term (separate process)", fmt(py.vectorised_ms), "", fmt(py.vectorised_ms / both2) + "×"]);
  }
  say(table(["contender", "ms", "ns/term", "time vs wasm both surfaces"], rows));
  if (!py) {
    say();
    say("NumPy contenders not run: python3 with numpy and scipy was not found.");
  }
}

// ------------------------------------------------------------------ 6: mutual information
{
  // uniform in [0, 1) from lib.mjs's seeded generator
  const rand = (seed) => { const next = rng(seed); return () => next() / 4294967296; };
  const rowsOut = [];
  json.mutual = {};
  for (const n of quick ? [1e6] : [1e6, 1e7]) {
    log(`labels MI n=${n}: preparing`);
    const r = rand(99), a = new Int32Array(n), b = new Int32Array(n);
    for (let i = 0; i < n; i++) { a[i] = Math.floor(r() * 100); b[i] = (a[i] * 7 + Math.floor(r() * 40)) % 100; }
    const contenders = [
      { name: "wasm", fn: () => wasm.mutualInformationLabels(a, b) },
      { name: "reference", fn: () => ref.mutualInformationLabels(a, b) },
    ];
    const res = measure(contenders, { reps: quick ? 5 : 11 });
    json.mutual[`labels ${n}`] = res;
    rowsOut.push([`mutualInformationLabels, n=${fmtN(n)}, 100 x 100 classes (Int32Array)`, fmt(res.wasm.nsPerCall / 1e6), fmt(res.reference.nsPerCall / 1e6),
      fmt(res.reference.nsPerCall / res.wasm.nsPerCall) + "×", res.wasm.value === res.reference.value ? "equal" : `⚠ ${res.wasm.value} vs ${res.reference.value}`]);
  }
  const peerRows = [];
  let peerName = "";
  for (const n of quick ? [1e3, 1e4] : [1e3, 1e4, 1e5]) {
    log(`KSG n=${n}: preparing`);
    const r = rand(7), x = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u1 = r() || 1e-300, u2 = r(), z1 = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2), z2 = Math.sqrt(-2 * Math.log(u1)) * Math.sin(2 * Math.PI * u2);
      x[i] = z1; y[i] = 0.6 * z1 + 0.8 * z2;
    }
    const contenders = [
      { name: "wasm", fn: () => wasm.mutualInformationKSG(x, y) },
      { name: "reference", fn: () => ref.mutualInformationKSG(x, y) },
    ];
    const reps = quick ? 5 : n >= 1e5 ? 11 : 21;
    const res = measure(contenders, { reps });
    json.mutual[`ksg ${n}`] = res;
    rowsOut.push([`mutualInformationKSG, n=${fmtN(n)}, k=3, Gaussian rho=0.6`, fmt(res.wasm.nsPerCall / 1e6), fmt(res.reference.nsPerCall / 1e6),
      fmt(res.reference.nsPerCall / res.wasm.nsPerCall) + "×", res.wasm.value === res.reference.value ? "equal" : `⚠ ${res.wasm.value} vs ${res.reference.value}`]);
    // the same samples through SciPy (scikit-learn's algorithm), in a separate process
    const dir = mkdtempSync(path.join(os.tmpdir(), "kl-ksg-"));
    try {
      const file = path.join(dir, "xy.f64");
      const both = new Float64Array(2 * n);
      both.set(x); both.set(y, n);
      writeFileSync(file, new Uint8Array(both.buffer));
      const py = python("scipy_ksg.py", file, "3", String(reps));
      json.mutual[`ksg ${n} scipy`] = py;
      const diff = Math.abs(py.mi - res.wasm.value);
      peerRows.push([`n=${fmtN(n)}`, fmt(res.wasm.nsPerCall / 1e6), fmt(py.ms), fmt(py.ms / (res.wasm.nsPerCall / 1e6)) + "×", diff <= 1e-12 * Math.max(1, Math.abs(py.mi)) ? "equal to 1e-12" : `⚠ differs by ${diff.toExponential(2)}`]);
      peerName = `SciPy ${py.scipy} + NumPy ${py.numpy}`;
    } catch {
      // no python3 with numpy and scipy here
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  log(`  done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  say();
  say("## Mutual information: ms per call (median) and speed vs the pure-TS twin (same algorithm)");
  say();
  say(table(["call", "wasm ms", "reference ms", "reference / wasm", "values"], rowsOut));
  say();
  say("### KSG against a real peer: scikit-learn's algorithm on SciPy's C++ k-d tree (the same samples, k = 3)");
  say();
  if (peerRows.length) {
    say(`${peerName}, a separate process (bench/scipy_ksg.py), median ms per call:`);
    say();
    say(table(["samples", "kl-wasm ms", "SciPy ms", "SciPy / kl-wasm", "estimate"], peerRows));
  } else {
    say("Not run: python3 with numpy and scipy was not found.");
  }
}

const secs = (Date.now() - t0) / 1000;
say();
say(`Total benchmark time ${secs.toFixed(0)} s; other activity (processes, kernel, hypervisor steal) kept ${others() ?? "?"} cores busy on average meanwhile; load average at the end ${loadNow().join(", ")}.`);
console.log(out.join("\n"));

if (jsonPath) {
  json.totalSeconds = secs;
  json.sink = getSink();
  writeFileSync(jsonPath, JSON.stringify(json, (k, val) => (typeof val === "number" && !Number.isFinite(val) ? String(val) : val), 2));
  log(`wrote ${jsonPath}`);
}
