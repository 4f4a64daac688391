// Measures what the README's accuracy table states: for each measure, the worst
// |WebAssembly - reference| / S over the input families, per size, for float64
// and float32 input (S as in test/helpers/accuracy.ts). Run: node scripts/accuracy.mjs
import * as wasm from "../dist/index.js";
import * as ref from "../dist/reference.js";
import { rng } from "../bench/lib.mjs";

/** Uniform in [0, 1) from the benchmark's seeded generator (mulberry32). */
const uniform = (seed) => { const next = rng(seed); return () => next() / 4294967296; };
const FAMILIES = {
  uniform: (x, y) => [x, y],
  sparse: (x, y, r) => [r() < 0.3 ? 0 : x, r() < 0.1 ? 0 : y],
  tiny: (x, y) => [x * 1e-300, y * 1e-300],
  wide: (x, y) => [10 ** (-300 + 305 * x), 10 ** (-300 + 300 * y)],
  near: (x, y, r) => [x, x * (1 + 1e-9 * (r() - 0.5))],
};
function pair(family, n, seed) {
  const r = uniform(seed), p = new Float64Array(n), q = new Float64Array(n);
  for (let i = 0; i < n; i++) [p[i], q[i]] = FAMILIES[family](r(), r(), r);
  return [p, q];
}
function scale(m, p, q) {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i], y = q[i];
    if (m === "entropy") { if (x > 0) s += Math.abs(x * Math.log(x)); continue; }
    if (m === "jensenShannon") {
      const mm = x / 2 + y / 2;
      if (x > 0) s += (Math.abs(x * Math.log(x / mm)) + x) / 2;
      if (y > 0) s += (Math.abs(y * Math.log(y / mm)) + y) / 2;
      continue;
    }
    if (x > 0) { const c = Math.min(Math.max(y, 1e-15), 1); s += Math.abs(m === "klDivergence" ? x * Math.log(x / c) : x * Math.log(c)) + x; }
  }
  return s;
}
// the families are not distributions (magnitudes 1e-300, ranges): the formulas as given
const o = { normalize: false };
const call = (api, m, p, q) => (m === "entropy" ? api.entropy(p, o) : api[m](p, q, o));

const sizes = [10, 1000, 100_000, 1_000_000, 10_000_000];
console.log("| measure | input | " + sizes.map((n) => `n = ${n.toExponential(0).replace("e+", "e")}`).join(" | ") + " |");
console.log("| --- | --- | " + sizes.map(() => "---").join(" | ") + " |");
for (const m of ["klDivergence", "entropy", "crossEntropy", "jensenShannon"]) {
  for (const f32 of [false, true]) {
    const cells = sizes.map((n) => {
      let worst = 0;
      for (const family of n >= 1_000_000 ? ["sparse"] : Object.keys(FAMILIES)) {
        let [p, q] = pair(family, n, n + family.length);
        if (f32) { p = Float32Array.from(p); q = Float32Array.from(q); }
        const got = call(wasm, m, p, q), want = call(ref, m, p, q), S = scale(m, p, q);
        if (S > 0 && got !== want) worst = Math.max(worst, Math.abs(got - want) / S);
      }
      return worst === 0 ? "0" : worst.toExponential(1);
    });
    console.log(`| ${m} | ${f32 ? "float32" : "float64"} | ${cells.join(" | ")} |`);
  }
}
