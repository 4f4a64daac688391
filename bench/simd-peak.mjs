// The most float64 multiply-adds one core does per second through WebAssembly's 128-bit SIMD (f64x2):
// `node bench/simd-peak.mjs` prints it; bench/pairwise.mjs uses it to say what a GEMM-bound target asks.
// The kernel keeps 12 independent f64x2 accumulators in registers (enough to hide the add latency), each
// multiplying its own pair of operands loaded from L1 each step (8 loads: 12 distinct products, which the
// optimizer cannot merge, compile() counts them in the text; no constants, which some V8 versions rebuild at
// every use), as a GEMM's inner loop does, so only the
// floating-point ports limit it: mul + add (the baseline build) and, where the engine has relaxed SIMD, the
// fused f64x2.relaxed_madd.
// Compiled here from AssemblyScript (a dev dependency), not shipped.
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const ACC = 12;
const kernel = (name, fused) => `export function ${name}(iters: i32, base: usize): f64 {
  ${Array.from({ length: ACC }, (_, i) => `let c${i} = f64x2.splat(${i});`).join("\n  ")}
  for (let i = 0; i < iters; i++) {
    const at = base + (((<usize>i) & 63) << 7);
    ${Array.from({ length: ACC / 2 }, (_, j) => `const v${j} = v128.load(at, ${16 * j});`).join("\n    ")}
    const b0 = v128.load(at, 96), b1 = v128.load(at, 112);
    ${Array.from({ length: ACC }, (_, i) => (fused
      ? `c${i} = f64x2.relaxed_madd(v${i >> 1}, b${i % 2}, c${i});`
      : `c${i} = f64x2.add(c${i}, f64x2.mul(v${i >> 1}, b${i % 2}));`)).join("\n    ")}
  }
  let s = c0;
  ${Array.from({ length: ACC - 1 }, (_, i) => `s = f64x2.add(s, c${i + 1});`).join("\n  ")}
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
`;

async function compile(fused) {
  const asc = await import("assemblyscript/asc");
  const r = await asc.compileString({ "peak.ts": kernel("madd", fused) }, {
    optimizeLevel: 3, initialMemory: 1, textFile: "peak.wat", enable: fused ? ["simd", "relaxed-simd"] : ["simd"],
  });
  if (r.error) throw new Error(`simd-peak: ${r.stderr.toString()}`);
  // every product is still there after optimisation (none merged): the count the rate assumes
  const ops = (String(r["peak.wat"]).match(fused ? /f64x2\.relaxed_madd/g : /f64x2\.mul/g) ?? []).length;
  if (ops !== ACC) throw new Error(`simd-peak: the optimised kernel has ${ops} ${fused ? "fused multiply-adds" : "multiplies"}, not ${ACC}`);
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
