// Logits benchmark (kl-wasm/logits, issue 13): node bench/logits.mjs [--quick] [--json out.json] [--no-tf] [--no-torch]
//   [--kl-rows N] [--ce-rows N] [--logits path/to/logits.js (another build of the entry; default dist/logits.js)]
//
// Two workloads, float32 logits, the sizes issue 13 names:
//   KL   256 x 32000 teacher and student logits at T = 2: KL(softmax(t/T) ‖ softmax(s/T)) averaged over rows
//        (PyTorch: F.kl_div(F.log_softmax(s/T, -1), F.log_softmax(t/T, -1), log_target=True,
//        reduction="batchmean"); no T² factor), forward, and forward + the gradient with respect to s;
//   CE   4096 x 32000 logits with int32 labels: mean cross-entropy (F.cross_entropy), forward, and forward + the
//        gradient with respect to the logits.
// Contenders in this process, interleaved (bench/lib.mjs measure(): each repetition takes one sample of every
// contender, the order rotated; medians): a plain JavaScript implementation (stable max-shifted log-softmax, in
// float64, gradient written to a Float32Array), TensorFlow.js's wasm backend (tf.logSoftmax and sums; gradients by
// analytic gradients in tf ops; each call uploads the Float32Arrays and downloads the loss and the gradient), and kl-wasm's
// klDivergenceLogits / crossEntropyLogits from dist/logits.js when it has been built (`npm run build`), else
// those rows are skipped with a note. PyTorch CPU runs the same data in a separate process (bench/torch_logits.py),
// with its default threads and with torch.set_num_threads(1), before the Node timings.
//
// Data (seed 12345, bench/lib.mjs's mulberry32 and Box-Muller, float32): teacher t = 3·z1, student
// s = 0.8·t + 1.8·z2, CE logits x = 3·z3 (z standard normal), labels uniform in [0, 32000). The arrays are
// written to a temporary folder as little-endian .bin files, which the Python peer reads: both sides see the
// same bits.
//
// Checks: every contender's loss against the plain JavaScript computation in float64 (relative 1e-5), and its
// gradient (all of it for KL, the first 8 rows for CE) against the float64 gradient, as max |g − g64| / max |g64|
// (1e-5). Progress goes to stderr, the markdown report to stdout.
import path from "node:path";
import os from "node:os";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { rng, measure, median, quantile, machine, machineLines, table, fmt, relErr, getSink, loadNow, watchOthers, loadTfWasm } from "./lib.mjs";

// ------------------------------------------------------------------ options
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const noTf = argv.includes("--no-tf");
const noTorch = argv.includes("--no-torch");
const argAt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const jsonPath = argAt("--json");
const KL_ROWS = Number(argAt("--kl-rows") ?? 256);
const CE_ROWS = Number(argAt("--ce-rows") ?? 4096);
const COLS = 32000;
const T = 2;
const REPS = quick ? { kl: 5, ce: 3, torch: 5 } : { kl: 15, ce: 7, torch: 15 };
const TOL = 1e-5;
const CHECK_ROWS = 8;
const log = (...a) => console.error(...a);
const here = path.dirname(fileURLToPath(import.meta.url));
const t0 = Date.now();
// started after the PyTorch process has finished (its CPU time is not "other activity")
let others = () => undefined;
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

// ------------------------------------------------------------------ data
const next = rng(12345);
const uni = () => (next() + 0.5) / 4294967296;
/** n standard normals (Box-Muller on mulberry32), as float64. */
function normals(n) {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uni())), a = 2 * Math.PI * uni();
    z[i] = r * Math.cos(a);
    if (i + 1 < n) z[i + 1] = r * Math.sin(a);
  }
  return z;
}
log(`data: ${KL_ROWS} x ${COLS} teacher/student, ${CE_ROWS} x ${COLS} logits + labels`);
const klN = KL_ROWS * COLS, ceN = CE_ROWS * COLS;
const tl = new Float32Array(klN), sl = new Float32Array(klN);
{
  const z1 = normals(klN), z2 = normals(klN);
  for (let i = 0; i < klN; i++) { tl[i] = 3 * z1[i]; sl[i] = 0.8 * tl[i] + 1.8 * z2[i]; }
}
const cx = new Float32Array(ceN);
for (let off = 0; off < ceN; off += 1 << 22) {
  const z = normals(Math.min(1 << 22, ceN - off));
  for (let i = 0; i < z.length; i++) cx[off + i] = 3 * z[i];
}
const cy = new Int32Array(CE_ROWS);
for (let r = 0; r < CE_ROWS; r++) cy[r] = Math.min(COLS - 1, Math.floor(uni() * COLS));
log(`  done (${elapsed()})`);

// ------------------------------------------------------------------ plain JavaScript
/**
 * Σ_r KL(softmax(t_r/T) ‖ softmax(s_r/T)) / rows: max-shifted log-sum-exp of both rows, then the KL terms;
 * with `grad`, grad[r,j] = (q_j − p_j) / (T · rows) (d batchmean-KL / d s). Everything in float64.
 * `div` is the batchmean divisor (rows, unless a check computes a slice of rows).
 */
function plainKl(t, s, rows, cols, T, grad, div = rows) {
  const invT = 1 / T;
  let total = 0;
  const g = 1 / (T * div);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let mt = -Infinity, ms = -Infinity;
    for (let j = 0; j < cols; j++) {
      const a = t[o + j] * invT, b = s[o + j] * invT;
      if (a > mt) mt = a;
      if (b > ms) ms = b;
    }
    let st = 0, ss = 0;
    for (let j = 0; j < cols; j++) {
      st += Math.exp(t[o + j] * invT - mt);
      ss += Math.exp(s[o + j] * invT - ms);
    }
    const lst = Math.log(st), lss = Math.log(ss);
    let kl = 0;
    if (grad) {
      for (let j = 0; j < cols; j++) {
        const lp = t[o + j] * invT - mt - lst, lq = s[o + j] * invT - ms - lss;
        const p = Math.exp(lp);
        kl += p * (lp - lq);
        grad[o + j] = (Math.exp(lq) - p) * g;
      }
    } else {
      for (let j = 0; j < cols; j++) {
        const lp = t[o + j] * invT - mt - lst, lq = s[o + j] * invT - ms - lss;
        kl += Math.exp(lp) * (lp - lq);
      }
    }
    total += kl;
  }
  return total / div;
}

/** Mean over rows of lse(x_r) − x_r[y_r]; with `grad`, grad[r,j] = (softmax(x_r)_j − [j = y_r]) / rows. float64. */
function plainCe(x, y, rows, cols, grad, div = rows) {
  let total = 0;
  const g = 1 / div;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) if (x[o + j] > m) m = x[o + j];
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[o + j] - m);
    const lse = m + Math.log(s);
    total += lse - x[o + y[r]];
    if (grad) {
      const inv = g / s;
      for (let j = 0; j < cols; j++) grad[o + j] = Math.exp(x[o + j] - m) * inv;
      grad[o + y[r]] -= g;
    }
  }
  return total / div;
}

// ------------------------------------------------------------------ references (float64) for the checks
log("references (float64) ...");
const ref = {};
{
  const g = new Float64Array(klN);
  ref.kl = plainKl(tl, sl, KL_ROWS, COLS, T, g);
  ref.klGrad = g;
  ref.ce = plainCe(cx, cy, CE_ROWS, COLS);
  // the first CHECK_ROWS rows of the mean-reduced gradient (divisor CE_ROWS)
  const g8 = new Float64Array(CHECK_ROWS * COLS);
  plainCe(cx.subarray(0, CHECK_ROWS * COLS), cy.subarray(0, CHECK_ROWS), CHECK_ROWS, COLS, g8, CE_ROWS);
  ref.ceGrad8 = g8;
}
log(`  done (${elapsed()})`);

/** max |g − e| / max |e| over the first e.length entries of g. */
function gradErr(g, e) {
  let d = 0, m = 0;
  for (let i = 0; i < e.length; i++) {
    const a = Math.abs(g[i] - e[i]);
    if (!(a <= d)) d = a; // NaN propagates
    const b = Math.abs(e[i]);
    if (b > m) m = b;
  }
  return d / m;
}

// ------------------------------------------------------------------ PyTorch (separate process)
// Round 1 runs before the Node timings and (full mode) round 2 after them, so that PyTorch sees the machine's load
// on both sides of the Node phase; the tables pool both rounds' samples.
const TORCH_ROUNDS = Number(argAt("--torch-rounds") ?? (quick ? 1 : 2));
const torchInfo = { ok: false, error: noTorch ? "skipped (--no-torch)" : undefined };
const torchRuns = [];
const torchDir = noTorch ? undefined : mkdtempSync(path.join(os.tmpdir(), "kl-logits-"));
if (torchDir) process.on("exit", () => rmSync(torchDir, { recursive: true, force: true }));
function torchRound() {
  try {
    log(`PyTorch round ${torchRuns.length + 1} of ${TORCH_ROUNDS} (bench/torch_logits.py, ${REPS.torch} repetitions) ...`);
    const run = JSON.parse(execFileSync("python3", [path.join(here, "torch_logits.py"), torchDir, String(KL_ROWS), String(CE_ROWS), String(COLS), String(T), String(REPS.torch)],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 900_000, maxBuffer: 64 << 20 }));
    const f32 = (name) => { const b = readFileSync(path.join(torchDir, name)); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };
    run.klGradErr = gradErr(f32("kl_grad.f32"), ref.klGrad);
    run.ceGradErr = gradErr(f32("ce_grad8.f32"), ref.ceGrad8);
    torchRuns.push(run);
    torchInfo.ok = true;
    torchInfo.version = run.torch;
    torchInfo.threads = run.default_threads;
  } catch (e) {
    torchInfo.error = `python3 bench/torch_logits.py failed: ${String(e.message).split("\n")[0]}`;
    log(torchInfo.error);
  }
  log(`  done (${elapsed()})`);
}
if (torchDir) {
  const put = (name, a) => writeFileSync(path.join(torchDir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  put("kl_t.f32", tl); put("kl_s.f32", sl); put("ce_x.f32", cx); put("ce_y.i32", cy);
  torchRound();
}

others = watchOthers();

// ------------------------------------------------------------------ TensorFlow.js (wasm backend)
const { tf, info: tfInfo } = await loadTfWasm(noTf, log);
// The forward losses are PyTorch's expressions. The gradients are written out in tf ops (the same analytic
// gradients as the plain JS and kl-wasm compute), not taken by tf.grad: the pinned peers are @tensorflow/tfjs-core
// and tfjs-backend-wasm, and tfjs-core's Node bundle registers no gradient functions (those come with the
// @tensorflow/tfjs union package); the explicit form is also the cheaper one. Intermediates are disposed as soon as
// they are dead (nested tf.tidy), so the 4096 × 32000 cross-entropy fits in the backend's memory.
/** Σ_r Σ_j p·(lt − ls) / rows (batchmean: the row sums first, then their mean), lt, ls = logSoftmax(t / T), logSoftmax(s / T). */
const tfKlLoss = (lt, ls) => tf.mean(tf.sum(tf.mul(tf.exp(lt), tf.sub(lt, ls)), -1));
/** −mean_r logSoftmax(x)[r, y_r]: the picked entries gathered from the flattened log-softmax (index r·C + y_r). */
const flatLabels = Int32Array.from(cy, (y, r) => r * COLS + y);
const tfCalls = tf && tfInfo.ok ? {
  kl: () => {
    let v;
    tf.tidy(() => {
      const lt = tf.logSoftmax(tf.div(tf.tensor2d(tl, [KL_ROWS, COLS]), T)), ls = tf.logSoftmax(tf.div(tf.tensor2d(sl, [KL_ROWS, COLS]), T));
      v = tfKlLoss(lt, ls).dataSync()[0];
    });
    return v;
  },
  /** loss, and d loss / d s = (softmax(s/T) − softmax(t/T)) / (T · rows) */
  klGrad: (out) => () => {
    let v;
    tf.tidy(() => {
      const lt = tf.logSoftmax(tf.div(tf.tensor2d(tl, [KL_ROWS, COLS]), T)), ls = tf.logSoftmax(tf.div(tf.tensor2d(sl, [KL_ROWS, COLS]), T));
      v = tfKlLoss(lt, ls).dataSync()[0];
      out.g = tf.mul(tf.sub(tf.exp(ls), tf.exp(lt)), 1 / (T * KL_ROWS)).dataSync();
    });
    return v;
  },
  ce: () => {
    let v;
    tf.tidy(() => {
      const ls = tf.tidy(() => tf.logSoftmax(tf.tensor2d(cx, [CE_ROWS, COLS])));
      v = tf.neg(tf.mean(tf.gather(tf.reshape(ls, [-1]), tf.tensor1d(flatLabels, "int32")))).dataSync()[0];
    });
    return v;
  },
  /** loss, and d loss / d x = (softmax(x) − onehot(y)) / rows */
  ceGrad: (out) => () => {
    let v;
    tf.tidy(() => {
      const ls = tf.tidy(() => tf.logSoftmax(tf.tensor2d(cx, [CE_ROWS, COLS])));
      v = tf.tidy(() => tf.neg(tf.mean(tf.gather(tf.reshape(ls, [-1]), tf.tensor1d(flatLabels, "int32")))).dataSync()[0]);
      const e = tf.exp(ls);
      ls.dispose();
      // tf.oneHot as int32, then cast: the wasm backend's OneHot kernel writes int32 bits into a float32 output
      // (tfjs-backend-wasm 4.22.0: oneHot(y, C, 1, 0, "float32") gives 1.4e-45, the bits of the integer 1)
      const oh = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(cy, "int32"), COLS), "float32"));
      const d = tf.sub(e, oh);
      e.dispose();
      oh.dispose();
      out.g = tf.mul(d, 1 / CE_ROWS).dataSync();
    });
    return v;
  },
} : undefined;

// ------------------------------------------------------------------ kl-wasm (dist/logits.js, when built)
const klInfo = { ok: false };
let kl;
{
  const file = argAt("--logits") ? path.resolve(argAt("--logits")) : path.join(here, "..", "dist", "logits.js");
  klInfo.file = path.relative(path.join(here, ".."), file);
  if (!existsSync(file)) {
    klInfo.error = `${klInfo.file} is not built yet (the kl-wasm/logits entry; \`npm run build\`)`;
  } else {
    try {
      kl = await import(pathToFileURL(file).href);
      const missing = ["klDivergenceLogits", "crossEntropyLogits"].filter((f) => typeof kl[f] !== "function");
      if (missing.length) throw new Error(`${klInfo.file} has no ${missing.join(", ")}`);
      klInfo.ok = true;
    } catch (e) {
      klInfo.error = e.message;
    }
  }
  if (!klInfo.ok) log(`kl-wasm rows skipped: ${klInfo.error}`);
}
/** A reduced loss as a number, whatever the entry returns (a number, or an object with the loss). */
const lossOf = (r) => (typeof r === "number" ? r : r?.loss ?? r?.value);
const klOpts = { temperature: T, reduction: "batchmean" };
const ceOpts = { reduction: "mean" };

// ------------------------------------------------------------------ the four tables
const json = { machine: machine(), quick, tolerance: TOL, sizes: { klRows: KL_ROWS, ceRows: CE_ROWS, cols: COLS, T }, torch: torchInfo, tf: tfInfo, klWasm: klInfo, sections: {} };
const out = [];
const say = (s = "") => out.push(s);

const sections = [
  {
    key: "kl", title: `KL of logits, forward: ${KL_ROWS} × ${COLS} float32, T = ${T}, batchmean`, reps: REPS.kl, n: klN, expected: ref.kl,
    torchCase: "kl",
    contenders: () => [
      { name: "plain JS", fn: () => plainKl(tl, sl, KL_ROWS, COLS, T) },
      tfCalls && { name: `TF.js wasm`, fn: tfCalls.kl },
      klInfo.ok && { name: "kl-wasm klDivergenceLogits", fn: () => lossOf(kl.klDivergenceLogits(tl, sl, COLS, klOpts)) },
    ],
  },
  {
    key: "klGrad", title: `KL of logits, forward + gradient (d loss / d student): ${KL_ROWS} × ${COLS} float32, T = ${T}`, reps: REPS.kl, n: klN, expected: ref.kl,
    torchCase: "kl_bwd", gradRef: ref.klGrad, 
    contenders: () => {
      const g1 = new Float32Array(klN), g2 = { g: undefined }, g3 = new Float32Array(klN);
      return [
        { name: "plain JS", fn: () => plainKl(tl, sl, KL_ROWS, COLS, T, g1), grad: () => g1 },
        tfCalls && { name: `TF.js wasm`, fn: tfCalls.klGrad(g2), grad: () => g2.g },
        klInfo.ok && { name: "kl-wasm klDivergenceLogits", fn: () => lossOf(kl.klDivergenceLogits(tl, sl, COLS, { ...klOpts, grad: g3 })), grad: () => g3 },
      ];
    },
  },
  {
    key: "ce", title: `Cross-entropy, forward: ${CE_ROWS} × ${COLS} float32, int32 labels, mean`, reps: REPS.ce, n: ceN, expected: ref.ce,
    torchCase: "ce",
    contenders: () => [
      { name: "plain JS", fn: () => plainCe(cx, cy, CE_ROWS, COLS) },
      tfCalls && { name: `TF.js wasm`, fn: tfCalls.ce },
      klInfo.ok && { name: "kl-wasm crossEntropyLogits", fn: () => lossOf(kl.crossEntropyLogits(cx, cy, COLS, ceOpts)) },
    ],
  },
  {
    key: "ceGrad", title: `Cross-entropy, forward + gradient: ${CE_ROWS} × ${COLS} float32, int32 labels, mean`, reps: REPS.ce, n: ceN, expected: ref.ce,
    torchCase: "ce_bwd", gradRef: ref.ceGrad8, 
    contenders: () => {
      const g1 = new Float32Array(ceN), g2 = { g: undefined }, g3 = new Float32Array(ceN);
      return [
        { name: "plain JS", fn: () => plainCe(cx, cy, CE_ROWS, COLS, g1), grad: () => g1 },
        tfCalls && { name: `TF.js wasm`, fn: tfCalls.ceGrad(g2), grad: () => g2.g },
        klInfo.ok && { name: "kl-wasm crossEntropyLogits", fn: () => lossOf(kl.crossEntropyLogits(cx, cy, COLS, { ...ceOpts, grad: g3 })), grad: () => g3 },
      ];
    },
  },
];

for (const sec of sections) {
  // one checked call each first: a contender that throws (e.g. out of memory) is dropped with a note
  const res = { rows: {}, notes: [] };
  json.sections[sec.key] = res;
  const alive = [];
  for (const c of sec.contenders().filter(Boolean)) {
    log(`${sec.key}: check ${c.name}`);
    try {
      const v = c.fn();
      const row = { value: v, relErr: relErr(v, sec.expected) };
      if (c.grad) row.gradErr = gradErr(c.grad(), sec.gradRef);
      row.ok = row.relErr <= TOL && (row.gradErr === undefined || row.gradErr <= TOL);
      res.rows[c.name] = row;
      alive.push(c);
    } catch (e) {
      res.notes.push(`${c.name} not timed: it threw ${e.name}: ${String(e.message).split("\n")[0]}`);
      log(`  ${c.name} threw: ${e.message}`);
      if (tf) try { tf.disposeVariables(); } catch { /* nothing to do */ }
    }
  }
  log(`${sec.key}: timing ${alive.length} contenders x ${sec.reps} repetitions (${elapsed()})`);
  const m = measure(alive.map(({ name, fn }) => ({ name, fn })), { reps: sec.reps, warmupMs: 0 });
  for (const c of alive) {
    Object.assign(res.rows[c.name], { ms: m[c.name].nsPerCall / 1e6, p25: m[c.name].p25 / 1e6, p75: m[c.name].p75 / 1e6, samples: m[c.name].samples.map((x) => x / 1e6) });
  }
  log(`  done (${elapsed()})`);
}

// ------------------------------------------------------------------ PyTorch round 2, then its rows
const othersNode = others();
const REFS = { kl: ref.kl, kl_bwd: ref.kl, ce: ref.ce, ce_bwd: ref.ce };
for (let i = torchRuns.length; torchRuns.length > 0 && i < TORCH_ROUNDS; i++) {
  const before = torchRuns.length;
  torchRound();
  if (torchRuns.length === before) break; // failed: the tables keep the rounds that ran (the error is printed)
}
let torch;
if (torchRuns.length) {
  // pooled samples of every round; the values and gradients' errors of every round are checked (worst shown)
  torch = { ...torchRuns[0], rounds: torchRuns.length, cases: {},
    klGradErr: Math.max(...torchRuns.map((r) => r.klGradErr)), ceGradErr: Math.max(...torchRuns.map((r) => r.ceGradErr)) };
  for (const c of Object.keys(torchRuns[0].cases)) {
    torch.cases[c] = {};
    for (const k of ["default", "one"]) {
      const samples = torchRuns.flatMap((r) => r.cases[c][k].samples);
      const values = torchRuns.map((r) => r.cases[c][k].value);
      torch.cases[c][k] = { ms: median(samples), p25: quantile(samples, 0.25), p75: quantile(samples, 0.75), samples,
        roundMedians: torchRuns.map((r) => r.cases[c][k].ms),
        value: values.reduce((w, v) => (relErr(v, REFS[c]) > relErr(w, REFS[c]) ? v : w)) };
    }
  }
  json.torchResult = torch;
  for (const sec of sections) {
    const tc = torch.cases[sec.torchCase], res = json.sections[sec.key];
    for (const [k, label] of [["one", "PyTorch CPU, 1 thread"], ["default", `PyTorch CPU, default threads (${torch.default_threads})`]]) {
      const row = { ms: tc[k].ms, p25: tc[k].p25, p75: tc[k].p75, value: tc[k].value, relErr: relErr(tc[k].value, sec.expected), roundMedians: tc[k].roundMedians, separate: true };
      if (sec.gradRef) row.gradErr = sec.key === "klGrad" ? torch.klGradErr : torch.ceGradErr; // from the one-thread calls
      row.ok = row.relErr <= TOL && (row.gradErr === undefined || row.gradErr <= TOL);
      res.rows[label] = row;
    }
  }
}
// ------------------------------------------------------------------ report
say("# kl-wasm logits benchmark");
say();
for (const l of machineLines(json.machine)) say(l);
say(`- mode: ${quick ? "--quick" : "full"}; Node contenders interleaved (order rotated each repetition, full GC before each sample), medians of ${REPS.kl} (KL) and ${REPS.ce} (cross-entropy) repetitions; PyTorch (a separate process): ${torchRuns.length > 1 ? `${torchRuns.length} rounds, before and after the Node timings, each ` : "one round, before the Node timings: "}2 warm-up calls then ${REPS.torch} repetitions of one call with the default threads and one with one thread; medians of the pooled samples`);
say(`- data: float32, seed 12345 (mulberry32 + Box-Muller): teacher t = 3·z1, student s = 0.8·t + 1.8·z2, cross-entropy logits 3·z3, labels uniform in [0, ${COLS}); the same bits for every contender (PyTorch reads them from .bin files)`);
say(`- PyTorch: ${torch ? `${torch.torch} (NumPy ${torch.numpy}), default ${torch.default_threads} threads; medians per round ${Object.entries(torch.cases).map(([c, v]) => `${c} ${v.one.roundMedians.map(fmt).join("/")} ms (1 thread), ${v.default.roundMedians.map(fmt).join("/")} ms (default)`).join("; ")}${torchInfo.error ? `; ⚠ a later round failed: ${torchInfo.error}` : ""}` : `NOT RUN: ${torchInfo.error}`}`);
say(`- TF.js: ${tfInfo.ok ? `@tensorflow/tfjs-core ${tfInfo.version} + tfjs-backend-wasm (SIMD ${tfInfo.simd ? "on" : "off"}, threads ${tfInfo.threads ? "on" : "off"}); each call uploads the Float32Arrays and downloads the loss (and the gradient); gradients written out in tf ops (tfjs-core's Node bundle registers no gradient functions for tf.grad)` : `NOT RUN: ${tfInfo.error}`}`);
say(`- kl-wasm: ${klInfo.ok ? `${klInfo.file} (klDivergenceLogits, crossEntropyLogits; Float32Array in, gradient into a Float32Array)` : `rows skipped: ${klInfo.error}`}`);
say(`- check (the plain JS row is the float64 computation itself; its gradient is rounded to float32 on output): the loss within ${TOL} relative of the plain JavaScript computation in float64 on the same float32 data; the gradient (KL: all of it; cross-entropy: the first ${CHECK_ROWS} rows) as max |g − g64| / max |g64| ≤ ${TOL}`);

const PT1 = "PyTorch CPU, 1 thread";
for (const sec of sections) {
  const res = json.sections[sec.key];
  const names = Object.keys(res.rows).filter((n) => res.rows[n].ms !== undefined);
  const ptd = names.find((n) => n.startsWith("PyTorch CPU, default"));
  const base = [[PT1, "PyTorch 1 thread"], [ptd, "PyTorch default"], ["plain JS", "plain JS"], ["TF.js wasm", "TF.js"]].filter(([n]) => n && res.rows[n]?.ms !== undefined);
  say();
  say(`## ${sec.title}`);
  say();
  say("ms per call (median, quartiles); speed against each peer = the peer's time / this time (> 1: faster than that peer).");
  say();
  const rows = names.map((n) => {
    const r = res.rows[n];
    const check = `${r.ok ? "ok" : "⚠"} loss ${r.relErr.toExponential(1)}` + (r.gradErr !== undefined ? `, grad ${r.gradErr.toExponential(1)}` : "");
    return [n, fmt(r.ms), `${fmt(r.p25)}–${fmt(r.p75)}`, ...base.map(([b]) => (b === n ? "1" : fmt(res.rows[b].ms / r.ms) + "×")), check];
  });
  say(table(["contender", "ms", "p25–p75", ...base.map(([, l]) => `vs ${l}`), "check (rel. err.)"], rows));
  for (const note of res.notes) { say(); say(`Note: ${note}`); }
  if (!klInfo.ok) { say(); say(`kl-wasm not measured: ${klInfo.error}.`); }
}

// the issue's targets, when kl-wasm ran
if (klInfo.ok) {
  say();
  say("## Issue 13's speed targets");
  say();
  const tgt = [];
  const r = (key, name) => json.sections[key].rows[name];
  const ratio = (key, peer, name) => (r(key, peer)?.ms !== undefined && r(key, name)?.ms !== undefined ? r(key, peer).ms / r(key, name).ms : undefined);
  const verdict = (x, need) => (x === undefined ? "not measured" : `${fmt(x)}× (${x >= need ? "met" : "NOT met"}, needs ≥ ${need}×)`);
  const ptd = (key) => Object.keys(json.sections[key].rows).find((n) => n.startsWith("PyTorch CPU, default"));
  for (const [key, name, label] of [["kl", "kl-wasm klDivergenceLogits", "KL forward"], ["klGrad", "kl-wasm klDivergenceLogits", "KL forward + gradient"],
    ["ce", "kl-wasm crossEntropyLogits", "cross-entropy forward"], ["ceGrad", "kl-wasm crossEntropyLogits", "cross-entropy forward + gradient"]]) {
    // the issue: forward at least as fast as PyTorch with one thread; forward + gradient at most PyTorch's forward +
    // backward, whose 112 ms the issue measured with PyTorch's default threads
    const grad = key.endsWith("Grad");
    const info = (x) => (x === undefined ? "not measured" : fmt(x) + "×");
    tgt.push([label, grad ? info(ratio(key, PT1, name)) : verdict(ratio(key, PT1, name), 1),
      !ptd(key) ? "not measured" : grad ? verdict(ratio(key, ptd(key), name), 1) : info(ratio(key, ptd(key), name)),
      key === "kl" ? verdict(ratio(key, "plain JS", name), 5) : fmt(ratio(key, "plain JS", name)) + "×",
      key === "kl" ? verdict(ratio(key, "TF.js wasm", name), 3) : fmt(ratio(key, "TF.js wasm", name)) + "×"]);
  }
  say(table(["kl-wasm", "vs PyTorch 1 thread", "vs PyTorch default threads", "vs plain JS", "vs TF.js wasm"], tgt));
  say();
  say("Speed = the peer's time / kl-wasm's time. The issue asks: KL forward at least as fast as PyTorch with one thread, ≥ 5× plain JS and ≥ 3× TF.js; KL forward + gradient at most PyTorch's forward + backward (its 112 ms were measured with PyTorch's default threads, so that is the column held to it); cross-entropy likewise against PyTorch. \"needs\" marks the issue's figures; the other ratios are for information.");
}

const secs = (Date.now() - t0) / 1000;
say();
say(`Total benchmark time ${secs.toFixed(0)} s; other activity (processes, kernel, hypervisor steal) kept ${othersNode ?? "?"} cores busy on average during the Node timings; load average at the end ${loadNow().join(", ")}.`);
console.log(out.join("\n"));

if (jsonPath) {
  json.totalSeconds = secs;
  json.sink = getSink();
  writeFileSync(jsonPath, JSON.stringify(json, (k, val) => (typeof val === "number" && !Number.isFinite(val) ? String(val) : val), 2));
  log(`wrote ${jsonPath}`);
}
