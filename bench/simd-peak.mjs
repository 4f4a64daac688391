// The most float64 multiply-adds one core does per second through WebAssembly's 128-bit SIMD (f64x2):
// `node bench/simd-peak.mjs` prints it; bench/pairwise.mjs uses it to say what a GEMM-bound target asks.
// The kernel keeps 12 independent f64x2 accumulators in registers (enough to hide the add latency), one
// operand loaded from L1 each step, as a GEMM's inner loop does, so only the floating-point ports limit it:
// mul + add (the baseline build) and, where the engine has relaxed SIMD, the fused f64x2.relaxed_madd.
// Compiled here from AssemblyScript (a dev dependency), not shipped.
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const ACC = 12;
const kernel = (name, fused) => `export function ${name}(iters: i32, base: usize): f64 {
  const b0 = f64x2.splat(1.0000001), b1 = f64x2.splat(0.9999999);
  ${Array.from({ length: ACC }, (_, i) => `let c${i} = f64x2.splat(${i});`).join("\n  ")}
  for (let i = 0; i < iters; i++) {
    const v = v128.load(base + (((<usize>i) & 255) << 4));
    ${Array.from({ length: ACC }, (_, i) => (fused
      ? `c${i} = f64x2.relaxed_madd(v, b${i % 2}, c${i});`
      : `c${i} = f64x2.add(c${i}, f64x2.mul(v, b${i % 2}));`)).join("\n    ")}
  }
  let s = c0;
  ${Array.from({ length: ACC - 1 }, (_, i) => `s = f64x2.add(s, c${i + 1});`).join("\n  ")}
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
`;

async function compile(fused) {
  const asc = await import("assemblyscript/asc");
  const r = await asc.compileString({ "peak.ts": kernel("madd", fused) }, {
    optimizeLevel: 3, initialMemory: 1, enable: fused ? ["simd", "relaxed-simd"] : ["simd"],
  });
  if (r.error) throw new Error(`simd-peak: ${r.stderr.toString()}`);
  return r.binary;
}

/**
 * Best of `reps` runs of N steps: { baseline, relaxed } in 10^9 float64 multiply-adds per second (relaxed undefined where
 * the engine lacks relaxed SIMD).
 */
export async function simdPeak({ steps = 3e7, reps = 9 } = {}) {
  const out = {};
  for (const [key, fused] of [["baseline", false], ["relaxed", true]]) {
    const bytes = await compile(fused);
    if (!WebAssembly.validate(bytes)) continue;
    const { instance } = await WebAssembly.instantiate(bytes);
    const f = instance.exports.madd;
    f(1e5, 1024);
    let best = Infinity;
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      f(steps, 1024);
      best = Math.min(best, performance.now() - t);
    }
    out[key] = (steps * ACC * 2) / best / 1e6;
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const p = await simdPeak();
  console.log(`Node ${process.version}: f64x2 mul + add ${p.baseline.toFixed(2)} G multiply-adds/s` +
    (p.relaxed === undefined ? " (relaxed SIMD unavailable)" : `; relaxed_madd ${p.relaxed.toFixed(2)} G/s`) + " (one core, best of 9)");
}
