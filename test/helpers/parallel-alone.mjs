// A process that imports kl-wasm/parallel alone (dist/), makes pool calls of three families before any other
// entry is imported, then compares them with the synchronous entries of both builds. Prints one JSON line.
// Run by test/parallel-alone.test.ts with relaxed SIMD available (Node >= 21, or Node 20's flag).
const dist = new URL("../../dist/", import.meta.url).href;
const { createPool } = await import(dist + "parallel.js");
let s = 5;
const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
const shared = (Kind, n, f) => { const x = new Kind(new SharedArrayBuffer(Kind.BYTES_PER_ELEMENT * n)); for (let i = 0; i < n; i++) x[i] = f(); return x; };
const n = 1 << 19, cols = 64, p = shared(Float64Array, n, () => rnd() ** 3), q = shared(Float64Array, n, () => rnd() ** 3);
const lc = 8000, t = shared(Float32Array, 64 * lc, () => 20 * rnd() - 10), u = shared(Float32Array, 64 * lc, () => 20 * rnd() - 10);
const pc = 100, X = shared(Float64Array, 300 * pc, rnd), Y = shared(Float64Array, 300 * pc, rnd);
const o = { normalize: false }, lo = { temperature: 2, reduction: "none" }, po = { metric: "jensenShannon", normalize: true };
const pool = createPool({ threads: 2 });
const first = {
  rows: await pool.klDivergenceRows(p, q, cols, o),
  logits: await pool.klDivergenceLogits(t, u, lc, lo),
  pairs: await pool.pairwise(X, Y, pc, po),
};
const again = await pool.klDivergenceRows(p, q, cols, o);
const core = await import(dist + "index.js"), logits = await import(dist + "logits.js"), pairwise = await import(dist + "pairwise.js");
const sync = () => ({
  rows: core.klDivergenceRows(p, q, cols, o), logits: logits.klDivergenceLogits(t, u, lc, lo), pairs: pairwise.pairwise(X, Y, pc, po),
});
const want = sync(), build = core.simdBuild();
await core.useSimd("baseline");
const base = sync();
await core.useSimd("auto");
const eq = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
const report = { build, again: eq(again, want.rows) };
for (const k of Object.keys(first)) report[k] = { sync: eq(first[k], want[k]), buildsDiffer: !eq(want[k], base[k]) };
console.log(JSON.stringify(report));
await pool.close();
