// Where does calling into WebAssembly start to pay? `node bench/crossover.mjs [--quick] [--json out.json]`
//
// For n = 1..64, klDivergence ns per call, interleaved (median of repetitions,
// samples >= 2 ms, order rotated), of:
//   reference         kl-wasm/reference on Float64Arrays (the facade's fallback below SMALL)
//   wasm zero-copy    the facade on workspace views: always WebAssembly, nothing copied
//   wasm, p copied    the facade with p on the JS heap and q in a workspace: always
//                     WebAssembly (a resident argument disables the fallback), p staged
//   facade heap       the facade on plain Float64Arrays: what users get today
//                     (the reference below SMALL = 32, WebAssembly from 32 on)
// "wasm heap (est.)" estimates WebAssembly on two heap arrays below SMALL, which
// the public API cannot force: zero-copy + 2 x (p copied - zero-copy).
// Crossovers are read off the medians (the smallest n from which WebAssembly
// stays faster) and off least-squares lines a + b n fitted over all n.
import { writeFileSync } from "node:fs";
import * as wasm from "../dist/index.js";
import * as ref from "../dist/reference.js";
import { makeData, measure, median, machine, machineLines, table, fmt, getSink, loadNow, watchOthers } from "./lib.mjs";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const jsonAt = argv.indexOf("--json");
const jsonPath = jsonAt >= 0 ? argv[jsonAt + 1] : undefined;
const MAX_N = 64;
const REPS = quick ? 7 : 21;
const SMALL = 32; // src/wasm.ts

const ws = wasm.createWorkspace(4096);
const results = [];
const t0 = Date.now();
const others = watchOthers();
for (let n = 1; n <= MAX_N; n++) {
  const { p, q } = makeData(1, n, 1000 + n);
  const wp = ws.f64(n), wq = ws.f64(n);
  wp.set(p); wq.set(q);
  const expected = ref.klDivergence(p, q);
  const contenders = [
    { name: "reference", fn: () => ref.klDivergence(p, q) },
    { name: "wasm zero-copy", fn: () => wasm.klDivergence(wp, wq) },
    { name: "wasm, p copied", fn: () => wasm.klDivergence(p, wq) },
    { name: "facade heap", fn: () => wasm.klDivergence(p, q) },
  ];
  const m = measure(contenders, { reps: REPS });
  for (const c of contenders) {
    const err = Math.abs(m[c.name].value - expected) / Math.abs(expected);
    if (!(err <= 1e-9)) console.error(`warning: n=${n} ${c.name} = ${m[c.name].value}, reference ${expected}`);
  }
  const r = { n };
  for (const c of contenders) r[c.name] = m[c.name].nsPerCall;
  r["wasm heap (est.)"] = r["wasm zero-copy"] + 2 * (r["wasm, p copied"] - r["wasm zero-copy"]);
  results.push(r);
  ws.release(wp); ws.release(wq);
  if (n % 8 === 0) console.error(`n=${n} done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

/** Smallest n from which `name` is faster than the reference at every larger n measured (or undefined). */
function stableCrossover(name) {
  let at;
  for (let i = results.length - 1; i >= 0; i--) {
    if (results[i][name] < results[i].reference) at = results[i].n;
    else break;
  }
  return at;
}
const firstFaster = (name) => results.find((r) => r[name] < r.reference)?.n;
/** Theil-Sen line a + b n (median of pairwise slopes; robust to the odd disturbed sample). */
function fit(name, from = 1) {
  const pts = results.filter((r) => r.n >= from).map((r) => [r.n, r[name]]);
  const slopes = [];
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) slopes.push((pts[j][1] - pts[i][1]) / (pts[j][0] - pts[i][0]));
  }
  const b = median(slopes);
  return { a: median(pts.map(([x, y]) => y - b * x)), b };
}
const lines = {};
for (const name of ["reference", "wasm zero-copy", "wasm, p copied", "wasm heap (est.)"]) lines[name] = fit(name);
// the facade on heap arrays is WebAssembly from SMALL on: its line over n >= SMALL, extrapolated down
lines[`facade heap, n >= ${SMALL}`] = fit("facade heap", SMALL);
const lineCross = (name) => {
  const r = lines.reference, w = lines[name];
  return w.b < r.b ? (w.a - r.a) / (r.b - w.b) : Infinity;
};

const cols = ["reference", "wasm zero-copy", "wasm, p copied", "wasm heap (est.)", "facade heap"];
const out = [];
const say = (s = "") => out.push(s);
say("# kl-wasm: WebAssembly vs reference crossover (klDivergence, n = 1..64)");
say();
for (const l of machineLines(machine())) say(l);
say(`- median of ${REPS} interleaved repetitions per n, samples >= 2 ms, full GC before each sample`);
say();
say("ns per call:");
say();
say(table(["n", ...cols, "faster at this n"], results.map((r) => [
  String(r.n), ...cols.map((c) => fmt(r[c])),
  r["wasm zero-copy"] < r.reference ? (r["wasm heap (est.)"] < r.reference ? "wasm (both)" : "wasm zero-copy only") : "reference",
])));
say();
say(`Robust (Theil-Sen) lines, ns per call = a + b n, over n = 1..${MAX_N} (the facade on heap arrays over n = ${SMALL}..${MAX_N}, where it runs WebAssembly):`);
say();
say(table(["path", "a (ns)", "b (ns/element)", "crossover with reference (lines)", "first n faster", "faster from n on (medians)"],
  Object.entries(lines).map(([name, l]) => [name, fmt(l.a), fmt(l.b),
    name === "reference" ? "–" : Number.isFinite(lineCross(name)) ? lineCross(name).toFixed(1) : "never",
    name === "reference" || name.startsWith("facade") ? "–" : String(firstFaster(name) ?? "never"),
    name === "reference" || name.startsWith("facade") ? "–" : String(stableCrossover(name) ?? "never")])));
say();
const zcLine = lineCross("wasm zero-copy"), heapLine = lineCross(`facade heap, n >= ${SMALL}`), estLine = lineCross("wasm heap (est.)");
const atSmall = results.filter((r) => r.n >= SMALL && r.n < SMALL + 8);
const heapVsRefAtSmall = atSmall.reduce((s, r) => s + r.reference / r["facade heap"], 0) / atSmall.length;
say("Finding:");
say();
const nOf = (x) => (Number.isFinite(x) ? Math.ceil(x) : Infinity);
say(`- Workspace views (zero-copy, always WebAssembly): the lines cross at n = ${zcLine.toFixed(1)}; by the medians WebAssembly is first faster at n = ${firstFaster("wasm zero-copy") ?? "never"} and faster at every n from ${stableCrossover("wasm zero-copy") ?? "never"} on.`);
say(`- Heap Float64Arrays through WebAssembly: the facade's own line (n >= ${SMALL}) crosses the reference's at n = ${heapLine.toFixed(1)}; the estimate from the one-copy path crosses at n = ${estLine.toFixed(1)}.`);
say(`- At n = ${SMALL}..${SMALL + 7}, where the facade switches from the reference to WebAssembly, the facade on heap arrays runs ${heapVsRefAtSmall.toFixed(2)}× the reference's speed (reference time / facade time).`);
const est = nOf(heapLine);
const suggestion = !Number.isFinite(est) || est > MAX_N ? `a SMALL above ${MAX_N} (WebAssembly on heap arrays did not catch up within n <= ${MAX_N})`
  : est > SMALL + 4 ? `raising SMALL to about ${est}` : est < SMALL - 4 ? `lowering SMALL to about ${est}` : `SMALL = ${SMALL} is about right`;
say(`- The library switches at SMALL = ${SMALL}; this measurement suggests ${suggestion}.`);
say();
say(`Total ${((Date.now() - t0) / 1000).toFixed(0)} s; other activity (processes, kernel, hypervisor steal) kept ${others() ?? "?"} cores busy on average meanwhile; load average at the end ${loadNow().join(", ")}.`);
console.log(out.join("\n"));
if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ machine: machine(), reps: REPS, results, lines, sink: getSink() }, null, 2));
