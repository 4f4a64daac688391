// Shared helpers for bench/run.mjs and bench/crossover.mjs: seeded data,
// interleaved timing with calibrated samples and medians, the machine header,
// and markdown tables.
import os from "node:os";
import v8 from "node:v8";
import vm from "node:vm";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import path from "node:path";
import { peerImport, peerRequire } from "../scripts/peers.mjs";

// A full GC before each timing sample, so that garbage left by one contender
// (TF.js tensors, result arrays) is not collected on another contender's clock.
// That GC is done when gc() returns: concurrent sweeping is off while it runs, so V8 sweeps
// inside the call instead of on helper threads that run on into the timed call. Those
// threads took the second core from kl-wasm/parallel's worker (2026-11-29, AMD EPYC 2
// cores, 101 klDivergenceRows 1000 x 1000 calls each: the pool's speed-up over the
// synchronous call 1.49x with the GC as it was, 1.68-1.72x with concurrent sweeping off
// or --single-threaded-gc, 1.71x with no GC at all; Node 24: 1.36x, then 1.57-1.63x).
// It is on again for the GCs a timed call triggers itself: off for the whole process, the
// calls that allocate large buffers paid V8's sweeping on their own thread (the pool's
// copied cross-entropy of logits with the gradient 1.5 s -> 5.0 s).
v8.setFlagsFromString("--expose-gc");
const fullGC = vm.runInNewContext("gc");
export function gc() {
  v8.setFlagsFromString("--no-concurrent-sweeping");
  try {
    fullGC();
  } finally {
    v8.setFlagsFromString("--concurrent-sweeping");
  }
}

// ------------------------------------------------------------------ data
/** mulberry32: a small seeded PRNG returning uint32s. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
const U32 = 4294967296;

/**
 * rows x cols row-major: p uniform in (0, 1) with ~10% exact zeros, each row
 * normalised to sum 1; q uniform in (0, 1) (not normalised; every value is
 * inside the clip range [1e-15, 1]).
 */
export function makeData(rows, cols, seed = 12345) {
  const next = rng(seed);
  const n = rows * cols;
  const p = new Float64Array(n), q = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    let s = 0, t = 0;
    for (let i = r * cols; i < (r + 1) * cols; i++) {
      const u = next();
      p[i] = u < 0.1 * U32 ? 0 : (next() + 0.5) / U32;
      q[i] = (next() + 0.5) / U32;
      s += p[i];
      t += q[i];
    }
    if (s === 0) { p[r * cols] = 1; s = 1; }
    // both are distributions: the default check that rows sum to 1 passes (and is timed)
    for (let i = r * cols; i < (r + 1) * cols; i++) { p[i] /= s; q[i] /= t; }
  }
  return { p, q };
}

// ------------------------------------------------------------------ timing
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const quantile = (xs, f) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(f * (s.length - 1))))];
};

let sink = 0;
/** Keeps results observable so no call can be optimised away. */
export const getSink = () => sink;

/**
 * A timing loop of its own for each contender (new Function gives it its own
 * feedback vector), so the call site stays monomorphic and can inline fn.
 */
function makeLoop(fn) {
  return new Function("fn", "now", `
    return function loop(iters) {
      let s = 0;
      const t0 = now();
      for (let i = 0; i < iters; i++) s += fn();
      const t1 = now();
      return [t1 - t0, s];
    };`)(fn, () => performance.now());
}

/**
 * Times contenders interleaved: warm-up and one calibration per contender
 * (iterations so one sample lasts >= minSampleMs), then `reps` repetitions in
 * each of which every contender takes one sample, the order rotated by one
 * each repetition. Returns per contender: median ns/call, quartiles, samples,
 * iterations per sample and the value of the last call.
 * contenders: [{ name, fn: () => number }]
 */
export function measure(contenders, { reps, minSampleMs = 2, targetSampleMs = 3, warmupMs = 30 }) {
  // every contender's own code warm (and its feedback complete) before any timing loop is
  // compiled: otherwise the first loop to inline a library function was compiled against
  // half-warm code and stayed slower (measured: the same call 54 ns in the first contender's
  // loop, 37 ns in a later one's)
  for (const c of contenders) {
    const w0 = performance.now();
    for (let calls = 0; calls < 2 || (performance.now() - w0 < warmupMs && calls < 1e5); calls++) sink += Number(c.fn()) || 0;
  }
  const state = contenders.map((c) => {
    const loop = makeLoop(c.fn);
    // warm-up: at least 2 calls and ~warmupMs
    let calls = 0;
    const w0 = performance.now();
    while (calls < 2 || performance.now() - w0 < warmupMs) {
      sink += loop(1)[1];
      calls++;
      if (calls > 1e6) break;
    }
    // calibration: double until one sample lasts >= minSampleMs, then aim at targetSampleMs
    let iters = 1, ms;
    for (;;) {
      gc();
      const [t, s] = loop(iters);
      sink += s;
      ms = t;
      if (ms >= minSampleMs) break;
      iters *= ms < minSampleMs / 16 ? 8 : 2;
    }
    if (ms < targetSampleMs) iters = Math.max(iters, Math.ceil((iters * targetSampleMs) / ms));
    return { name: c.name, loop, iters, samples: [], value: c.fn() };
  });
  const k = state.length;
  for (let rep = 0; rep < reps; rep++) {
    for (let j = 0; j < k; j++) {
      const st = state[(rep + j) % k];
      gc();
      const [t, s] = st.loop(st.iters);
      sink += s;
      st.samples.push((t * 1e6) / st.iters);
    }
  }
  const out = {};
  for (const st of state) {
    out[st.name] = {
      nsPerCall: median(st.samples),
      p25: quantile(st.samples, 0.25),
      p75: quantile(st.samples, 0.75),
      itersPerSample: st.iters,
      samples: st.samples,
      value: st.value,
    };
  }
  return out;
}

// ------------------------------------------------------------------ machine
/** Cores' worth of CPU time used by other processes over ~300 ms while this one sleeps (Linux), or undefined. */
export function busyCores(ms = 300) {
  const read = () => {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] || 0);
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = read();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    const b = read();
    const total = b.total - a.total;
    if (total <= 0) return undefined;
    const cores = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
    return +(cores * (1 - (b.idle - a.idle) / total)).toFixed(2);
  } catch {
    return undefined;
  }
}

/**
 * Starts watching the CPU time of other processes; the returned function gives
 * the average number of cores they kept busy since (Linux; USER_HZ = 100), or undefined.
 */
export function watchOthers() {
  const stat = () => {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return { busy: f.reduce((a, b) => a + b, 0) - f[3] - (f[4] || 0) };
  };
  let a;
  try { a = stat(); } catch { return () => undefined; }
  const own0 = process.cpuUsage(), t0 = performance.now();
  return () => {
    const b = stat(), own = process.cpuUsage(own0), wall = (performance.now() - t0) / 1000;
    const others = (b.busy - a.busy) / 100 - (own.user + own.system) / 1e6;
    return +Math.max(0, others / wall).toFixed(2);
  };
}

export function machine() {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  let flags = "";
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const m = /^model name\s*:\s*(.*)$/m.exec(info);
    if (m) cpu = m[1].trim();
    const f = /^flags\s*:\s*(.*)$/m.exec(info);
    if (f) {
      const have = new Set(f[1].split(/\s+/));
      flags = ["sse4_2", "avx2", "fma", "avx512f"].filter((x) => have.has(x)).join(" ");
    }
  } catch { /* not Linux */ }
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (dirty) commit += " (+ uncommitted changes)";
  } catch { /* not a git checkout */ }
  return {
    cpu,
    cpuFlags: flags,
    cores: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
    busyCoresAtStart: busyCores(),
    commit,
  };
}

export function machineLines(m) {
  return [
    `- CPU: ${m.cpu}${m.cpuFlags ? ` (${m.cpuFlags})` : ""}, ${m.cores} cores, ${m.memoryGiB} GiB RAM`,
    `- Node ${m.node}, V8 ${m.v8}, ${m.platform}`,
    `- kl-wasm commit ${m.commit}`,
    `- date ${m.date}`,
    `- other processes at start: ${m.busyCoresAtStart ?? "?"} of ${m.cores} cores busy; load average ${m.loadAverage.join(", ")}` +
      (m.busyCoresAtStart > 0.3 ? " — WARNING: the machine was not idle, absolute times may be inflated and noisy (ratios within one interleaved table are more robust)" : ""),
  ];
}

// ------------------------------------------------------------------ output
export const loadNow = () => os.loadavg().map((x) => +x.toFixed(2));

export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const w = header.map((_, j) => Math.max(3, ...all.map((r) => (r[j] ?? "").length)));
  const line = (r) => "| " + r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join(" | ") + " |";
  const sep = "|" + w.map((x, j) => (j === 0 ? "-".repeat(x + 1) + "-" : "-".repeat(x + 1) + ":")).join("|") + "|";
  return [line(all[0]), sep, ...all.slice(1).map(line)].join("\n");
}

/** 3 significant digits, no exponent for ordinary magnitudes. */
export function fmt(x) {
  if (x === undefined || x === null || Number.isNaN(x)) return "–";
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

export const fmtN = (n) => {
  const e = Math.log10(n);
  return Number.isInteger(e) && e >= 4 ? `10^${e}` : String(n);
};

/** Relative difference; Infinity when a value is not finite but the expected one is. */
export function relErr(v, e) {
  if (!Number.isFinite(v)) return Number.isFinite(e) ? Infinity : v === e ? 0 : Infinity;
  return Math.abs(v - e) / Math.max(Math.abs(e), 1e-300);
}

// ------------------------------------------------------------------ peers
/**
 * TensorFlow.js with its WebAssembly backend (its .wasm files loaded from the package's dist/), from the
 * on-demand bench peers: { tf, info: { ok, error?, version, simd, threads } }; info.ok false (and the
 * error logged with `log`) when it cannot load or `skip` is set.
 */
export async function loadTfWasm(skip, log) {
  const info = { ok: false, error: skip ? "skipped (--no-tf)" : undefined };
  if (skip) return { tf: undefined, info };
  try {
    const tf = await peerImport("bench", "@tensorflow/tfjs-core");
    const backend = await peerImport("bench", "@tensorflow/tfjs-backend-wasm");
    const require = peerRequire("bench");
    backend.setWasmPaths(path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep);
    if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') returned false");
    await tf.ready();
    if (tf.getBackend() !== "wasm") throw new Error(`backend is ${tf.getBackend()}`);
    Object.assign(info, { ok: true, version: tf.version_core, simd: tf.env().getBool("WASM_HAS_SIMD_SUPPORT"),
      threads: tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT") });
    return { tf, info };
  } catch (e) {
    info.error = e.message;
    log(`TF.js wasm backend unavailable: ${e.message}`);
    return { tf: undefined, info };
  }
}
