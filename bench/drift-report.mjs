// driftReport of 100 numeric features x 10^5 rows per window (Sturges edges from the reference,
// PSI, JS, Wasserstein, KS) against the same pipeline in NumPy + SciPy (bench/numpy_drift_report.py,
// a separate process). The src/drift TypeScript is bundled on the fly with esbuild into /tmp
// (WebAssembly binning engine, WebAssembly discrete family), since the public entry is composed
// elsewhere. Usage: node bench/drift-report.mjs [--features 100] [--rows 100000] [--reps 3]
// Short runs on a shared machine: the figures are noisy.
import { build } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import { measure, rng, machine } from "./lib.mjs";

const arg = (name, d) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const FEATURES = arg("features", 100), ROWS = arg("rows", 100000), REPS = arg("reps", 3);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = "/tmp/kl-wasm-bench-drift-report";
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "entry.ts"), `
import "${root}/src/drift/provision.ts";
import * as discrete from "${root}/src/index.ts";
import { histogramEdges } from "${root}/src/drift/edges.ts";
import { makeHistogramApi } from "${root}/src/drift/histogram.ts";
import { wasmBinEngine } from "${root}/src/drift/wasm.ts";
import { makeMetrics } from "${root}/src/drift/metrics.ts";
import { wasserstein1, ksTest } from "${root}/src/drift/samples.ts";
import { makeReport } from "${root}/src/drift/report.ts";
const { histogram } = makeHistogramApi(wasmBinEngine);
const metrics = makeMetrics({ discrete, histogram, histogramEdges });
export const { driftReport } = makeReport({ metrics, samples: { wasserstein1, ksTest }, histogram, discrete: discrete as never });
export const ready = discrete.ready;
`);
await build({ entryPoints: [join(out, "entry.ts")], bundle: true, format: "esm", platform: "node", target: "node18", outfile: join(out, "report.mjs"),
  loader: { ".wasm": "binary" }, logLevel: "error" });
const { driftReport, ready } = await import(pathToFileURL(join(out, "report.mjs")).href);
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
const bin = join(out, "data.bin");
{
  const all = new Float64Array(2 * FEATURES * ROWS);
  for (let j = 0; j < FEATURES; j++) {
    all.set(reference[`f${j}`], j * ROWS);
    all.set(current[`f${j}`], (FEATURES + j) * ROWS);
  }
  writeFileSync(bin, all);
}
const options = { metrics: ["psi", "jensenShannonDistance", "wasserstein1", "ksTest"], bins: "sturges" };
const first = driftReport(reference, current, options);

const py = JSON.parse(execFileSync("python3", [join(root, "bench/numpy_drift_report.py"), bin, String(FEATURES), String(ROWS), String(REPS)],
  { encoding: "utf8", maxBuffer: 1 << 26 }));
let worst = 0;
for (let j = 0; j < FEATURES; j++) {
  const f = first.features[j], p = py.values[j];
  for (const [m, v] of [["psi", p.psi], ["jensenShannonDistance", p.js], ["wasserstein1", p.w], ["ksTest", p.ks]]) {
    worst = Math.max(worst, Math.abs(f.values[m] - v) / Math.max(Math.abs(v), 1e-300));
  }
  worst = Math.max(worst, Math.abs(f.pvalue - p.pvalue) / Math.max(p.pvalue, 1e-300));
}
const r = measure([{ name: "driftReport", fn: () => driftReport(reference, current, options).features.length }],
  { reps: REPS, minSampleMs: 1, targetSampleMs: 1, warmupMs: 1 });
const ms = r.driftReport.nsPerCall / 1e6;
console.log(machine?.() ?? "");
console.log(`driftReport ${FEATURES} features x ${ROWS} rows per window (Sturges, PSI, JS, Wasserstein, KS): ` +
  `${ms.toFixed(0)} ms (median of ${REPS}); NumPy + SciPy ${py.ms.toFixed(0)} ms (median of ${REPS}); ` +
  `${(py.ms / ms).toFixed(2)}x; largest relative difference of a value ${worst.toExponential(2)} (noisy: shared cores)`);
