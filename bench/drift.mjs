// Binning benchmark (kl-wasm/drift's histogram): node bench/drift.mjs [--quick] [--n N]
//
// 10^7 normal samples (seeded) into 50 bins: equal-width edges (linspace(-4, 4, 51)), 50
// arbitrary sorted edges, each for float64 and float32 input, with the WebAssembly engine
// and the pure-TS twin interleaved in this process (bench/lib.mjs measure(): medians),
// and NumPy's np.histogram in a separate process (bench/numpy_drift.py, medians).
// Also the twin/WebAssembly crossover at small n. The drift entry is not built yet, so
// src/drift/*.ts are bundled on the fly with esbuild into a temporary directory.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { pathToFileURL, fileURLToPath } from "node:url";
import { build } from "esbuild";
import { rng, measure, machine, machineLines, table, fmt, fmtN, getSink } from "./lib.mjs";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const nAt = argv.indexOf("--n");
const N = nAt >= 0 ? Number(argv[nAt + 1]) : 1e7;
const REPS = quick ? 5 : 15;
const log = (...a) => console.error(...a);
const here = path.dirname(fileURLToPath(import.meta.url));
const src = (p) => path.join(here, "..", "src", p);

// ------------------------------------------------------------------ bundle
const dir = mkdtempSync(path.join(os.tmpdir(), "kl-wasm-drift-bench-"));
const entry = path.join(dir, "entry.ts");
writeFileSync(entry, [
  `import ${JSON.stringify(src("drift/provision.ts"))};`,
  `import { makeHistogramApi } from ${JSON.stringify(src("drift/histogram.ts"))};`,
  `import { wasmBinEngine } from ${JSON.stringify(src("drift/wasm.ts"))};`,
  `import { twinBinEngine } from ${JSON.stringify(src("drift/twin.ts"))};`,
  "export const wasm = makeHistogramApi(wasmBinEngine);",
  "export const twin = makeHistogramApi(twinBinEngine);",
  `export { createWorkspace } from ${JSON.stringify(src("core/wasm.ts"))};`,
].join("\n"));
await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "node", target: "es2022",
  loader: { ".wasm": "binary" }, outfile: path.join(dir, "drift.mjs"), logLevel: "error" });
const { wasm, twin, createWorkspace } = await import(pathToFileURL(path.join(dir, "drift.mjs")).href);
rmSync(dir, { recursive: true, force: true });

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

const m = machine();
log(machineLines(m).join("\n"));

const sum = (r) => r.counts[7] + r.under;

// measured first: right after the 10^7 calls the first small sizes were transiently slow (~30 us)
let smallOut;
// ------------------------------------------------------------------ crossover
log("crossover ...");
const small = [];
for (const n of [64, 128, 256, 512, 1024, 2048]) {
  const xs = x64.slice(0, n);
  const r = measure([
    { name: "wasm", fn: () => sum(wasm.histogram(xs, uniform)) },
    { name: "twin", fn: () => sum(twin.histogram(xs, uniform)) },
    { name: "wasm-arb", fn: () => sum(wasm.histogram(xs, arbitrary)) },
    { name: "twin-arb", fn: () => sum(twin.histogram(xs, arbitrary)) },
  ], { reps: quick ? 5 : 11 });
  small.push([String(n), ...["wasm", "twin", "wasm-arb", "twin-arb"].map((k) => fmt(r[k].nsPerCall))]);
}
smallOut = () => {
  console.log(`\n### small n (ns per call; the engine runs the twin below SMALL_BINNING)\n`);
console.log(table(["n", "engine, equal", "twin, equal", "engine, arbitrary", "twin, arbitrary"], small));
};

// ------------------------------------------------------------------ 10^7
const cases = [];
for (const [edgesName, edges] of [["50 equal-width", uniform], ["50 arbitrary", arbitrary]]) {
  for (const [type, x] of [["f64", x64], ["f32", x32]]) {
    cases.push({ name: `${edgesName}, ${type}`, edgesName, type, fn: () => sum(wasm.histogram(x, edges)) });
  }
}
// the same float64 samples in a workspace (read in place: no staging copy)
const ws = createWorkspace(8 * N + 4096), view = ws.f64(N);
view.set(x64);
cases.push({ name: "50 equal-width, f64 workspace view", edgesName: "50 equal-width", type: "f64", fn: () => sum(wasm.histogram(view, uniform)) });
cases.push({ name: "50 arbitrary, f64 workspace view", edgesName: "50 arbitrary", type: "f64", fn: () => sum(wasm.histogram(view, arbitrary)) });
log(`timing the WebAssembly engine at n = ${fmtN(N)} ...`);
const res = measure(cases.map((c) => ({ name: c.name, fn: c.fn })), { reps: REPS, minSampleMs: 20, targetSampleMs: 20, warmupMs: 100 });
log("timing the twin ...");
const twinRes = measure(cases.filter((c) => c.type === "f64" && !c.name.includes("view")).map((c) => ({ name: c.name,
  fn: () => sum(twin.histogram(c.type === "f64" ? x64 : x32, c.edgesName.includes("equal") ? uniform : arbitrary)) })),
{ reps: quick ? 3 : 5, minSampleMs: 20, targetSampleMs: 20, warmupMs: 100 });

let py;
try {
  log("running bench/numpy_drift.py ...");
  py = JSON.parse(execFileSync("python3", [path.join(here, "numpy_drift.py"), String(REPS), String(N)],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 600_000 }));
} catch (e) {
  log(`NumPy contender skipped: ${e.message}`);
}

const ms = (ns) => ns / 1e6;
const rows = cases.map((c) => {
  const w = ms(res[c.name].nsPerCall);
  const t = twinRes[c.name] ? ms(twinRes[c.name].nsPerCall) : undefined;
  const key = `${c.type}_${c.edgesName.includes("equal") ? "uniform_edges" : "arbitrary"}`;
  const np = py?.[key], npRange = c.edgesName.includes("equal") ? py?.[`${c.type}_uniform_range`] : undefined;
  const best = npRange === undefined ? np : Math.min(np, npRange);
  return [c.name, fmt(w), `${fmt(ms(res[c.name].p25))}–${fmt(ms(res[c.name].p75))}`, t === undefined ? "–" : fmt(t),
    np === undefined ? "–" : fmt(np), npRange === undefined ? "–" : fmt(npRange), best === undefined ? "–" : fmt(best / w) + "x"];
});
console.log(`### histogram of ${fmtN(N)} normal samples (ms, medians)\n`);
console.log(machineLines(m).join("\n") + (py ? `\n- NumPy ${py.numpy} (separate process, ${py.reps} calls, median)` : "") + "\n");
console.log(table(["case", "kl-wasm", "IQR", "twin", "np edges", "np bins=50,range", "vs best NumPy"], rows));
const f32ratio = (e) => res[`${e}, f64`].nsPerCall / res[`${e}, f32`].nsPerCall;
console.log(`\nfloat32 speed-up over float64: equal-width ${fmt(f32ratio("50 equal-width"))}x, arbitrary ${fmt(f32ratio("50 arbitrary"))}x`);

smallOut();
log(`(sink ${getSink()})`);
