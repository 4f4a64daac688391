// The one place that owns WebAssembly: compiling the module, instantiating it,
// the layout of every instance's memory, workspaces (zero-copy views), and the
// driver that runs a kernel over rows that live in WebAssembly memory or on the
// JS heap.
//
// Memory never grows. Every instance gets its own WebAssembly.Memory whose
// maximum equals its initial size:
//   [0, 128 KiB)         the modules' static data, each in its own region (REGIONS, checked against heapBase())
//   [128 KiB, +576 KiB)  scratch: A, B (CHUNK elements each), OUT (CHUNK f64), PARAMS (4 CHUNK f64),
//                        SUMS (2 CHUNK f64)
//   [704 KiB, ...)       a workspace's capacity (none for the default instance)
// So a view handed out by a workspace can never be detached by growth; it is
// detached only by that workspace's dispose(), which throws on later use.
// Arrays on the JS heap are streamed through A and B in chunks, so a call on
// 10^8 elements needs no more WebAssembly memory than a call on 10^3.
import { type Vector, throwIfNaN, show, lengthOf, viewBuffer, viewOffset, range, copyOf } from "./validate.js";
import { MIN_NORMAL_F64, MIN_NORMAL_F32, Sum } from "./sum.js";

export { MIN_NORMAL_F64 };

/** Elements of each input copied per kernel call when streaming (f64: 64 KiB; larger
 *  chunks measured no faster, smaller ones slower: bench/run.mjs, heap f64 at n = 10^6). */
export const CHUNK = 8192;
const PAGE = 65536;
const STATIC_END = 2 * PAGE;
const A = STATIC_END;
const B = A + CHUNK * 8;
const OUT = B + CHUNK * 8;
const PARAMS = OUT + CHUNK * 8;
const SUMS = PARAMS + CHUNK * 32;
const SCRATCH_END = SUMS + CHUNK * 16;
/** The scratch's byte offsets, for engines that stage their own inputs (src/logits/wasm.ts): A and B
 *  (CHUNK float64 each), OUT (CHUNK float64), PARAMS (4 CHUNK float64), SUMS (2 CHUNK float64). */
export const SCRATCH = { A, B, OUT, PARAMS, SUMS } as const;

export const MODE_F64 = 0;
export const MODE_F64_EXACT = 1;
export const MODE_F32 = 2;
const FLAG_BAD = 1;
const FLAG_TINY = 2;
const FLAG_LOW = 4;
/** The smallest lower clip the fast modes take (the fast ratio log wants its b >= 2^-1021 in f64, 2^-125 in f32). */
const FAST_LO_F64 = 4.450147717014403e-308;
const FAST_LO_F32 = 2.350988701644575e-38;


type KernelFn = (p: number, q: number, rows: number, cols: number, lo: number, hi: number,
  a: number, b: number, mode: number, params: number, out: number, sums: number) => number;

export type KernelName = "entropyRows" | "klRows" | "crossEntropyRows" | "jensenShannonRows" | "sumRows" | "klDensityRows"
  // the divergence module (assembly/divergence.ts)
  | "divKlRows" | "divPowRows" | "divPowDirectRows" | "divPow2Rows" | "divPowDirect2Rows" | "divHellingerRows" | "divTotalVariationRows" | "divChiSquareRows"
  | "divJeffreysRows" | "divBhattacharyyaRows";

interface Exports extends Record<KernelName, KernelFn> {
  heapBase(): number;
  gaussianSurface(x: number, pc: number, lp: number, n: number, mus: number, nMu: number,
    sigmas: number, nSig: number, logFloor: number, floor: number, step: number, dev: number, plp: number, reverse: number, out: number): void;
  expArray(x: number, n: number, out: number): void;
  colSums(p: number, rows: number, cols: number, sum: number, comp: number): void;
  labelRange(a: number, n: number, out: number): void;
  countPairs(a: number, b: number, n: number, minA: number, minB: number, rangeB: number, counts: number): void;
  ksgSamples(x: number, n: number, scale: number): number;
  ksgCounts(x: number, y: number, n: number, k: number, idx: number, tx: number, ty: number, sx: number, sy: number,
    rx: number, ry: number, nx: number, ny: number, axis: number, hist: number): void;
  ksgTarget(y: number, n: number, sy: number, ry: number, oy: number, k0: number, k1: number, i1: number, hist: number): void;
  ksgFeature(x: number, y: number, n: number, k: number, idx: number, tx: number, ty: number, sx: number, sy: number,
    rx: number, ry: number, oy: number, ryt: number, nx: number, ny: number, axis: number, hist: number): void;
  // drift (assembly/drift.ts): each returns the total of the count tables' NaN slots
  binUniform(x: number, n: number, f32: number, edges: number, bins: number, lo: number, hi: number, norm: number,
    eps: number, counts: number, stride: number): number;
  binSearch(x: number, n: number, f32: number, edges: number, bins: number, hi: number, counts: number, stride: number,
    table: number, cells: number, lo: number, cnorm: number): number;
  // logits (assembly/logits.ts; names prefixed: the exports of every module share one object): statistics into 8 float64 a row at st, output passes from per-row parameters there
  logitsLse(x: number, rows: number, cols: number, f32: number, invT: number, st: number, fresh: number, blockSteps: number): void;
  logitsEntropy(x: number, rows: number, cols: number, f32: number, invT: number, st: number, fresh: number, blockSteps: number): void;
  logitsKlStats(a: number, b: number, rows: number, cols: number, f32: number, invT: number, st: number, fresh: number,
    blockSteps: number): void;
  logitsCeStats(x: number, w: number, rows: number, cols: number, f32: number, st: number, fresh: number, blockSteps: number): void;
  logitsSoftmax(x: number, rows: number, cols: number, f32: number, invT: number, st: number, out: number, out32: number,
    exp: number): void;
  logitsKlGrad(a: number, b: number, rows: number, cols: number, f32: number, invT: number, st: number, out: number,
    out32: number, reverse: number): void;
  logitsCeGrad(x: number, w: number, rows: number, cols: number, f32: number, st: number, out: number, out32: number): void;
  logitsKlStore(a: number, b: number, rows: number, cols: number, f32: number, invT: number, st: number): void;
  logitsKlDiff(ea: number, eb: number, rows: number, cols: number, f32: number, st: number, out: number, out32: number): void;
  // pairwise (assembly/pairwise.ts): tiles of ni × nj cells of rows of a against rows of b (row stride kp) into out (row stride os)
  pairDot64(a: number, b: number, kp: number, ni: number, nj: number, out: number, os: number): void;
  pairSq64(a: number, b: number, kp: number, ni: number, nj: number, out: number, os: number, half: number): void;
  pairAbs64(a: number, b: number, kp: number, ni: number, nj: number, out: number, os: number): void;
  pairMlogm64(a: number, b: number, kp: number, ni: number, nj: number, out: number, os: number, tab: number): void;
  pairLogTable(at: number): void;
  pairMlogm32(a: number, b: number, kp: number, ni: number, nj: number, out: number, os: number): void;
  pairDirect(kind: number, p: number, q: number, cols: number, eps: number): number;
  pairRowStats(p: number, rows: number, kp: number, out: number): void;
  pairLogClip(q: number, b: number, rows: number, cols: number, kp: number, eps: number): void;
  // knn (assembly/knn.ts): a k-d tree built in place, searched by the calls after it
  knnBuild(pts: number, perm: number, lo: number, hi: number, box: number, minIdx: number, n: number, d: number, depth: number): void;
  knnNeighbours(k: number, euclid: number, withIdx: number, bd: number, bi: number, dist: number, idx: number, heap: number): void;
  knnCross(qs: number, qperm: number, nq: number, k: number, euclid: number, bd: number, out: number, heap: number): void;
  knnCount(radius: number, out: number): void;
  knnSort1(x: number, n: number, s: number, perm: number, keys: number, keys2: number, perm2: number, hist: number): void;
  knnKth1(s: number, perm: number, n: number, k: number, euclid: number, out: number): void;
  knnCross1(qs: number, qperm: number, nq: number, s: number, n: number, k: number, euclid: number, out: number): void;
  knnCount1(s: number, perm: number, n: number, radius: number, out: number): void;
  knnCount2(pts: number, n: number, radius: number, out: number, sx: number, sy: number, px: number, py: number,
            rank: number, xlo: number, xhi: number, ylo: number, yhi: number, acc: number, bit: number, start: number,
            ev: number, keys: number, keys2: number, perm2: number, hist: number): void;
}

// ------------------------------------------------------------------ modules
// One module per family, each compiled from assembly/<family>.ts with its static data
// at its own base (asconfig.json), so that every module a slab needs is instantiated
// on the same memory: discrete (the span kernels: every discrete measure, the sums
// of mutual information), fit (Gaussian surfaces, klDensity), mutual (labels, KSG)
// drift (binning samples into histograms), logits (softmax, KL of logits, cross-entropy),
// pairwise (tiles of divergence matrices), knn (k-d trees of the k-NN estimators) and divergence
// (the Rényi, Tsallis, Hellinger, chi-square, Jeffreys and Bhattacharyya span kernels).
// Each entry provides the modules it calls (provision.ts files), so the main entry
// carries only the discrete module.
export type ModuleName = "discrete" | "fit" | "mutual" | "drift" | "logits" | "pairwise" | "knn" | "divergence";
/** [first, end) of each module's static data (asconfig.json's memoryBase; heapBase() is checked). */
const REGIONS: Record<ModuleName, [number, number]> = {
  discrete: [1024, 16384], fit: [16384, 32768], mutual: [32768, 49152], drift: [49152, 65536],
  logits: [65536, 81920], pairwise: [81920, 98304], knn: [98304, 114688], divergence: [114688, STATIC_END],
};

interface Provided { source?: string; compiled?: WebAssembly.Module }
/** A module's relaxed-SIMD build as its entry loads it: the bytes themselves (CommonJS requires them), or the
 *  dynamic import of the chunk that holds them (ESM: the bytes stay out of the entry until selected). */
type RelaxedSource = string | Promise<{ default: string | WebAssembly.Module }>;
/** Each provided module: its baseline build, its relaxed build once loaded, and the loader of that (none in the workerd build). */
interface Builds { baseline: Provided; relaxed?: Provided; load?: () => RelaxedSource }
const provided = new Map<ModuleName, Builds>();

/** The two builds of every module: "baseline" (SIMD) runs on every engine; "relaxed" (relaxed SIMD: fused
 *  multiply-add) on engines that validate it (Node ≥ 21, Chrome ≥ 114, Deno, Bun 1.4; not Safari, nor Node ≤ 20
 *  without `--experimental-wasm-relaxed-simd`). */
export type SimdBuild = "baseline" | "relaxed";
/** The build that runs, decided when the first module is provided (`KL_WASM_SIMD`, else feature detection). */
let build: SimdBuild | undefined;
/** Bumped by useSimd: every slab instantiates its modules again (on its same memory) at its next call. */
let generation = 0;
const KEY = "KL_WASM_SIMD";
/** A module of one function, i8x16.relaxed_swizzle of its two v128 arguments: valid only where relaxed SIMD is. */
const PROBE = "0061736d0100000001070160027b7b017b030201000a0b01090020002001fd80020b";

/** `want` checked ("auto": relaxed where the engine validates relaxed SIMD and the modules have that build);
 *  `who` names the variable or function in the error. */
function pick(want: unknown, who: string): SimdBuild {
  const has = [...provided.values()].some((m) => m.load) && WebAssembly.validate(bytesOf({ source: PROBE }));
  if (want === "auto") return has ? "relaxed" : "baseline";
  if (want === "baseline" || want === "relaxed" && has) return want;
  throw new RangeError(`${who} must be "baseline", "auto" or "relaxed" (where the engine has relaxed SIMD), got ${show(want)}`);
}

/** globalThis.KL_WASM_SIMD if set before the import, else the environment variable where the runtime has one
 *  (Deno's only when env access is granted already: no prompt), else "auto". */
function requested(): unknown {
  const g = globalThis as { KL_WASM_SIMD?: unknown; Deno?: any; process?: { env?: Record<string, string> } }, D = g.Deno;
  try {
    return g[KEY] || (D ? D.permissions.querySync({ name: "env", variable: KEY }).state == "granted" && D.env.get(KEY)
      : g.process?.env?.[KEY]) || "auto";
  } catch {
    return "auto";
  }
}

/** Loads m's relaxed build if it has one and it is not loaded yet. */
function loadRelaxed(m: Builds): Promise<void> | void {
  const s = m.relaxed ?? m.load?.();
  // "": the relaxed build is the baseline's bytes (scripts/build.mjs), which run as they are
  const use = (source: string) => (source ? { source } : m.baseline);
  if (typeof s === "string") m.relaxed = use(s);
  else if (s instanceof Promise) return s.then((r) => { m.relaxed = use(r.default as string); });
}

/**
 * Entries call this (through their provision.ts) with a module's bytes as hex, embedded in
 * the bundle, or with a compiled module (runtimes that import .wasm files as modules: workerd),
 * and the loader of its relaxed build. Returns, when the relaxed build is selected and comes from
 * a chunk, the promise the ESM entry awaits at load.
 */
export function provide(name: ModuleName, module: string | WebAssembly.Module, relaxed?: () => RelaxedSource): Promise<void> | void {
  if (provided.has(name)) return;
  const m: Builds = { baseline: typeof module === "string" ? { source: module } : { compiled: module }, load: relaxed };
  provided.set(name, m);
  build ??= pick(requested(), KEY);
  if (build === "relaxed") return loadRelaxed(m);
}

/** The build of m that runs: its relaxed one when selected and loaded. */
const active = (m: Builds): Provided => (build === "relaxed" && m.relaxed) || m.baseline;

/**
 * Which build of the WebAssembly modules runs: `"relaxed"` (relaxed SIMD: fused multiply-add in the
 * kernels) or `"baseline"` (SIMD). Chosen at import: `globalThis.KL_WASM_SIMD` set before the import,
 * else the environment variable `KL_WASM_SIMD` (`"baseline"`, `"relaxed"` or `"auto"`), else `"auto"`:
 * relaxed where the engine validates relaxed SIMD (Node ≥ 21, Chrome ≥ 114, Deno, Bun 1.4), baseline elsewhere
 * (Node ≤ 20, Safari) and always in the workerd build. Both builds meet every accuracy bound;
 * their results may differ in the last bits.
 */
export function simdBuild(): SimdBuild {
  return build ?? "baseline";
}

/**
 * The build a call made now is computed in: simdBuild(), or, before any module is provided (a process that imported
 * kl-wasm/parallel alone: its workers load the modules), the build an entry imported now would choose (the same
 * request and feature test as provide(); the parallel entry's modules have both builds).
 */
export function callBuild(): SimdBuild {
  if (build !== undefined) return build;
  const want = requested();
  return want !== "baseline" && WebAssembly.validate(bytesOf({ source: PROBE })) ? "relaxed" : "baseline";
}

/**
 * Switches the build of every module provided so far (and of the entries imported later):
 * `"baseline"`, `"relaxed"`, or `"auto"` (relaxed where the engine has it). Loads and compiles the
 * modules of that build; every call after it runs them. Workspaces and their views stay valid (each
 * workspace's memory gets instances of the new build at its next call; kernels keep no state between
 * calls). In CommonJS each `require`d entry is its own copy: switch each one (or set `KL_WASM_SIMD`).
 *
 * Concurrent calls: the last one made wins.
 *
 * @returns the build running when the call ends.
 * @throws RangeError for another value, or `"relaxed"` on an engine without relaxed SIMD or in the
 *   workerd build (which has only the baseline modules).
 */
export async function useSimd(want: SimdBuild | "auto"): Promise<SimdBuild> {
  const next = pick(want, "useSimd"), ticket = ++switches;
  if (next === "relaxed") for (const m of provided.values()) await loadRelaxed(m);
  // a later call made while this one loaded has the last word
  if (ticket === switches) {
    if (next !== build) generation++;
    build = next;
  }
  await ready();
  return simdBuild();
}
/** useSimd calls made so far. */
let switches = 0;

/** The bytes of a module embedded as hex digits (scripts/build.mjs), decoded when it is compiled. Hex, not
 *  base64: gzip finds the module's repeats in it (discrete.wasm gzipped: 8942 B raw, 9993 as hex, 13043 as base64). */
function bytesOf(p: Provided): Uint8Array<ArrayBuffer> {
  const s = p.source as string, b = new Uint8Array(s.length >> 1);
  // '0'-'9' (0x30-0x39) -> 0-9, 'a'-'f' (0x61-0x66) -> 10-15
  const digit = (i: number) => { const c = s.charCodeAt(i); return (c & 15) + (c >> 6) * 9; };
  for (let i = 0; i < b.length; i++) b[i] = digit(2 * i) << 4 | digit(2 * i + 1);
  return b;
}

function compiledModule(name: ModuleName, p: Provided): WebAssembly.Module {
  if (p.compiled === undefined) {
    try {
      p.compiled = new WebAssembly.Module(bytesOf(p));
    } catch (e) {
      // browsers may refuse synchronous compilation on the main thread (Chromium did
      // above 4 KB, and does above 8 MB); embedders may refuse code generation at all
      throw new Error(`kl-wasm: this runtime refused to compile WebAssembly synchronously (${name}.wasm: ` +
        `${e instanceof Error ? e.message : String(e)}). Call \`await ready()\` once before the first call, ` +
        "or, in Cloudflare Workers, the workerd export condition (it imports the .wasm files as modules).", { cause: e });
    }
  }
  return p.compiled;
}

/**
 * Compiles the modules of the entries imported so far asynchronously, if that has not
 * happened yet. Calls never need it in Node, Deno, Bun or workerd; in a browser it avoids
 * compiling on the main thread at the first call (and is required where the browser refuses that).
 */
export async function ready(): Promise<void> {
  for (const m of provided.values()) {
    const p = active(m);
    if (p.compiled === undefined) p.compiled = await WebAssembly.compile(bytesOf(p));
  }
}

// ------------------------------------------------------------------ instances
/** One memory of fixed size, with an instance of every provided module on it. */
export class Slab {
  readonly memory: WebAssembly.Memory;
  /** memory.buffer, cached: the getter is a runtime call, and the buffer never changes until detach(). */
  buffer: ArrayBuffer;
  f64: Float64Array;
  f32: Float32Array;
  /** First byte a workspace may use. */
  readonly heapStart = SCRATCH_END;
  #exports = {} as Exports;
  /** Modules instantiated on this memory; one provided later is instantiated when the exports are next asked for. */
  #loaded = new Set<ModuleName>();
  /** The generation of the builds instantiated (useSimd bumps it). */
  #generation = generation;

  constructor(capacityBytes: number) {
    const pages = Math.ceil((SCRATCH_END + capacityBytes) / PAGE);
    if (pages > 65536) throw new RangeError(`createWorkspace: ${capacityBytes} bytes and the scratch space (${SCRATCH_END} bytes) exceed the 4 GiB a WebAssembly memory can hold`);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.buffer = this.memory.buffer;
    this.f64 = new Float64Array(this.buffer);
    this.f32 = new Float32Array(this.buffer);
    slabs.set(this.buffer, this);
  }

  /** The kernels of every module provided so far, instantiated on this memory (the first time they are asked for). */
  get exports(): Exports {
    if (this.#loaded.size !== provided.size || this.#generation !== generation) this.#load();
    return this.#exports;
  }

  #load(): void {
    if (provided.size === 0) throw new Error("kl-wasm: no WebAssembly module was provided to this entry");
    if (this.#generation !== generation) {
      this.#loaded.clear();
      this.#generation = generation;
    }
    for (const [name, m] of provided) {
      if (this.#loaded.has(name)) continue;
      const instance = new WebAssembly.Instance(compiledModule(name, active(m)), { env: { memory: this.memory } });
      const exports = instance.exports as unknown as Exports;
      const [first, end] = REGIONS[name];
      if (exports.heapBase() > end || exports.heapBase() < first) {
        throw new Error(`kl-wasm: ${name}.wasm's static data is outside [${first}, ${end}) (rebuild)`);
      }
      Object.assign(this.#exports, exports);
      this.#loaded.add(name);
    }
  }

  /** Detaches every view of this memory (grow(0) replaces the buffer). */
  detach(): void {
    slabs.delete(this.buffer);
    this.memory.grow(0);
    this.buffer = this.memory.buffer;
    this.f64 = new Float64Array(0);
    this.f32 = new Float32Array(0);
  }
}

const slabs = new WeakMap<ArrayBufferLike, Slab>();
let defaultSlab: Slab | undefined;
/** Workspaces alive: while there are none, no input can be resident and no lookup is needed. */
let workspaces = 0;

/** x's buffer if x may be a workspace view (some workspace is alive), else undefined:
 *  read once per call (the getter costs ~10 ns). */
function bufferOf(x: Vector | undefined): ArrayBufferLike | undefined {
  return workspaces > 0 && x !== undefined && ArrayBuffer.isView(x) ? viewBuffer(x) : undefined;
}

/**
 * An instance for kernels whose inputs must all be resident at once (the Gaussian
 * surfaces, mutual information's tables, labels and KSG), with at least `bytes` bytes
 * from heapStart; never handed to users, so
 * nothing can hold a view of it. One is kept and replaced by a larger one when
 * needed. Its `owner` says whose data it holds, so a caller that yields between
 * calls (an async surface) knows when another caller has overwritten it.
 */
export function privateSlab(bytes: number): Slab & { owner?: object } {
  if (kernelSlab === undefined || kernelSlab.memory.buffer.byteLength - kernelSlab.heapStart < bytes) {
    kernelSlab = new Slab(Math.max(bytes, 1 << 20));
  }
  return kernelSlab;
}
let kernelSlab: (Slab & { owner?: object }) | undefined;

// ------------------------------------------------------------------ workspaces
const ALIGN = 64;
const EMPTY = new Uint8Array(0);

/**
 * A region of WebAssembly memory of fixed capacity from which Float64Array and
 * Float32Array views are handed out. Passing them to any function of this
 * library copies nothing. The memory never grows, so views stay valid until
 * they are released or the workspace is disposed.
 */
export class Workspace {
  #slab: Slab | undefined;
  /** Free blocks [start, end), sorted by start. */
  #free: Array<[number, number]>;
  /** Live views: byte offset -> the view handed out there and its size in bytes. Release
   *  matches the view itself, so neither a stale view whose memory was handed out again
   *  nor a subarray of a live view can free memory that another view holds. */
  #live = new Map<number, { view: ArrayBufferView; size: number }>();
  #capacity: number;

  constructor(capacityBytes = 16 * 1024 * 1024) {
    if (!Number.isInteger(capacityBytes) || capacityBytes < 0) {
      throw new RangeError(`createWorkspace: capacity must be a non-negative integer number of bytes, got ${show(capacityBytes)}`);
    }
    this.#slab = new Slab(capacityBytes);
    workspaces++;
    this.#capacity = capacityBytes;
    const start = this.#slab.heapStart;
    this.#free = capacityBytes > 0 ? [[start, start + capacityBytes]] : [];
  }

  /** Bytes available to views in total. */
  get capacity(): number {
    this.#alive("capacity");
    return this.#capacity;
  }

  /** Bytes held by live views (including alignment padding). */
  get used(): number {
    this.#alive("used");
    let total = 0;
    for (const { size } of this.#live.values()) total += size;
    return total;
  }

  /** A zero-filled Float64Array of n elements in WebAssembly memory. */
  f64(n: number): Float64Array {
    const off = this.#alloc("f64", n, 8);
    return this.#hold(off, new Float64Array(this.#slab!.buffer, off, n));
  }

  /** A zero-filled Float32Array of n elements in WebAssembly memory. */
  f32(n: number): Float32Array {
    const off = this.#alloc("f32", n, 4);
    return this.#hold(off, new Float32Array(this.#slab!.buffer, off, n));
  }

  /** Returns a view's memory to the workspace. The view must not be used afterwards. */
  release(view: Float64Array | Float32Array): void {
    const slab = this.#alive("release");
    if (!ArrayBuffer.isView(view) || view.buffer !== slab.buffer) {
      throw new TypeError("Workspace.release: the view does not belong to this workspace");
    }
    const live = this.#live.get(view.byteOffset);
    if (live === undefined || live.view !== view) {
      throw new TypeError("Workspace.release: the view was already released, or is not one this workspace handed out " +
        "(a subarray or a copy of a view cannot be released)");
    }
    this.#live.delete(view.byteOffset);
    this.#insertFree(view.byteOffset, view.byteOffset + live.size);
  }

  /** Frees the workspace's memory. Every view it handed out becomes detached (length 0) and is rejected by all functions. */
  dispose(): void {
    if (this.#slab === undefined) return;
    workspaces--;
    this.#slab.detach();
    this.#slab = undefined;
    this.#live.clear();
    this.#free = [];
  }

  #alive(what: string): Slab {
    if (this.#slab === undefined) throw new TypeError(`Workspace.${what}: the workspace was disposed`);
    return this.#slab;
  }

  #alloc(what: string, n: number, size: number): number {
    const slab = this.#alive(what);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`Workspace.${what}: n must be a non-negative integer, got ${show(n)}`);
    const bytes = Math.max(ALIGN, Math.ceil((n * size) / ALIGN) * ALIGN);
    for (let i = 0; i < this.#free.length; i++) {
      const [start, end] = this.#free[i];
      if (end - start >= bytes) {
        if (end - start === bytes) this.#free.splice(i, 1);
        else this.#free[i] = [start + bytes, end];
        this.#live.set(start, { view: EMPTY, size: bytes });
        new Uint8Array(slab.buffer, start, bytes).fill(0);
        return start;
      }
    }
    throw new RangeError(
      `Workspace.${what}: ${n * size} bytes do not fit (capacity ${this.#capacity}, in use ${this.used}); ` +
      "release views or create a larger workspace");
  }

  #hold<T extends ArrayBufferView>(off: number, view: T): T {
    this.#live.get(off)!.view = view;
    return view;
  }

  #insertFree(start: number, end: number): void {
    const free = this.#free;
    let i = 0;
    while (i < free.length && free[i][0] < start) i++;
    free.splice(i, 0, [start, end]);
    // coalesce with the next and previous blocks
    if (i + 1 < free.length && free[i][1] === free[i + 1][0]) {
      free[i][1] = free[i + 1][1];
      free.splice(i + 1, 1);
    }
    if (i > 0 && free[i - 1][1] === free[i][0]) {
      free[i - 1][1] = free[i][1];
      free.splice(i, 1);
    }
  }
}

/** Creates a workspace with `capacityBytes` bytes for views (default 16 MiB). */
export function createWorkspace(capacityBytes?: number): Workspace {
  return new Workspace(capacityBytes);
}

// ------------------------------------------------------------------ driver
/** Per-call parameters of a kernel (see assembly/index.ts). */
export interface KernelArgs {
  lo: number;
  hi: number;
  a: number;
  b: number;
  /** Per-row (lo, hi, a, b), 4 numbers a row, overriding the scalars; or undefined. */
  params?: Float64Array;
  /** The kernel clips q to [lo, hi]: a lo below the smallest normal number needs the exact mode. */
  clips?: boolean;
  /** Compute in float64 even for float32 input (widened as it is staged). */
  wide?: boolean;
}

/** No clipping, no shift (entropy and the sums). */
export const PLAIN: KernelArgs = { lo: 0, hi: 0, a: 0, b: 0 };

/**
 * Below this many elements a call costs more in crossing into WebAssembly than
 * it saves, and index.ts runs the pure-TS twin instead, which reads workspace views
 * as well as any array (bench/crossover.mjs measures the crossover).
 */
export const SMALL = 32;

/**
 * Runs `kernel` over `rows` rows of `cols` elements of p (and q) and returns
 * each row's raw sum. Throws the caller's error for the first bad value; reruns
 * in the exact mode if the fast mode saw values it cannot take. With `sums`, also
 * writes each row's sum of p and of q (as read) into sums[2r], sums[2r + 1].
 */
export function runRows(fn: string, kernel: KernelName, p: Vector, q: Vector | undefined,
                        rows: number, cols: number, args: KernelArgs, out: Float64Array,
                        report: () => void, sums?: Float64Array): Float64Array {
  if (driverHooks.rows !== undefined) return driverHooks.rows(fn, kernel, p, q, rows, cols, args, out, report, sums);
  const f32 = !args.wide && p instanceof Float32Array && (q === undefined || q instanceof Float32Array);
  let pBuf = bufferOf(p), qBuf = bufferOf(q);
  const slab = (pBuf && slabs.get(pBuf)) || (qBuf && slabs.get(qBuf)) || (defaultSlab ??= new Slab(0));
  // a view someone built over a workspace's buffer below its first usable byte overlaps the
  // scratch that staging writes: it is copied out first, then staged like any array
  if (pBuf === slab.buffer && viewOffset(p as Float64Array) < slab.heapStart) { p = copyOf(p); pBuf = undefined; }
  if (qBuf === slab.buffer && viewOffset(q as Float64Array) < slab.heapStart) { q = copyOf(q!); qBuf = undefined; }
  const pRes = resident(slab, p, pBuf, f32), qRes = q === undefined || resident(slab, q, qBuf, f32);
  // float32 input's exact mode is the float64 one: the driver stages (widens) it
  const fast = f32 ? MODE_F32 : MODE_F64, exact = MODE_F64_EXACT;
  // a lower clip below what the fast log takes (eps = 0): the fast mode runs with the
  // clip raised to it, and the exact mode reruns only if a q under p > 0 was raised
  const fastLo = f32 ? FAST_LO_F32 : FAST_LO_F64;
  let raised: KernelArgs | undefined;
  if (args.clips) {
    // per-row bounds replace the scalar one (normalize: true passes lo = 0 beside them)
    let lo = args.lo;
    if (args.params !== undefined) {
      lo = Infinity;
      for (let r = 0; r < rows; r++) lo = Math.min(lo, args.params[r * 4]);
    }
    if ((f32 ? Math.fround(lo) : lo) < fastLo) {
      const params = args.params?.slice();
      if (params !== undefined) for (let r = 0; r < rows; r++) params[r * 4] = Math.max(params[r * 4], fastLo);
      raised = { ...args, lo: Math.max(args.lo, fastLo), params };
    }
  }
  let flags = run(slab, kernel, p, q, pRes, qRes, rows, cols, raised ?? args, fast, out, sums);
  if ((flags & FLAG_TINY) || (raised !== undefined && (flags & FLAG_LOW))) {
    if (flags & FLAG_BAD) report();
    driverHooks.exact++;
    // the exact mode reads float64: float32 views are staged (widened)
    flags = run(slab, kernel, p, q, pRes && !f32, qRes && !f32, rows, cols, args, exact, out, sums);
  }
  if (flags & FLAG_BAD) {
    // suspect: a bad value (report throws), or else a row whose sum is not finite
    report();
    throwIfNaN(fn, out);
  }
  return out;
}


/**
 * kl-wasm/parallel's view of the driver (src/parallel/discrete.ts): `rows`, while set, runs instead of runRows (a
 * pool's main thread answers the engines' calls with its workers' values; it unsets it to run one here); `exact`
 * counts runRows' reruns in the exact mode (a worker reports them: its shard alone reran, so the call is run again
 * whole, as one call would have been).
 */
export const driverHooks: { rows?: typeof runRows; exact: number } = { exact: 0 };

/**
 * Whether the kernels can normalise by a row sum s: far from 1, products such as
 * p log(.) under- or overflow before the division by s, and the facades run the
 * pure-TS twin (which divides first) instead. Never the case for probabilities or counts.
 */
export function normalizable(s: number): boolean {
  return s >= 2 ** -960 && s <= 2 ** 960;
}

/** The binade of a positive finite s: e with s 2^-e in [2^-0.5, 2^0.5]. */
export function binade(s: number): number {
  return Math.max(-1074, Math.min(1023, Math.round(Math.log2(s))));
}

/** s 2^-e, exactly (in two steps, so that neither power of two overflows). */
export function unscale(s: number, e: number): number {
  const h = Math.trunc(e / 2);
  return s * Math.pow(2, -h) * Math.pow(2, h - e);
}

/** Validated sums of each row of x (float32 summed in float64), for normalize; a bad value
 *  anywhere is reported by `report`. The caller checks the sums (checkSums). */
export function rowSums(fn: string, x: Vector, rows: number, cols: number, report: () => void): Float64Array {
  return runRows(fn, "sumRows", x, undefined, rows, cols, PLAIN, new Float64Array(rows), report);
}

function run(slab: Slab, kernel: KernelName, p: Vector, q: Vector | undefined, pRes: boolean, qRes: boolean,
             rows: number, cols: number, args: KernelArgs, mode: number, out: Float64Array, sums?: Float64Array): number {
  const k = slab.exports[kernel];
  const f32 = mode === MODE_F32;
  const shift = f32 ? 2 : 3;
  const view = f32 ? slab.f32 : slab.f64;
  const { lo, hi, a, b, params } = args;
  let flags = 0;
  if (cols <= CHUNK || (pRes && qRes)) {
    // whole rows per call: as many as fit in scratch (all of them, up to OUT's size, when resident)
    const perCall = pRes && qRes ? CHUNK : Math.max(1, Math.floor(CHUNK / cols));
    for (let r0 = 0; r0 < rows; r0 += perCall) {
      const nr = Math.min(perCall, rows - r0);
      const start = r0 * cols, count = nr * cols;
      const pp = pRes ? viewOffset(p as Float64Array) + (start << shift) : stage(view, A >> shift, p, start, count);
      const qp = q === undefined ? 0 : qRes ? viewOffset(q as Float64Array) + (start << shift)
        : stage(view, B >> shift, q, start, count);
      if (params !== undefined) slab.f64.set(params.subarray(r0 * 4, (r0 + nr) * 4), PARAMS >> 3);
      flags |= k(pp, qp, nr, cols, lo, hi, a, b, mode, params === undefined ? 0 : PARAMS, OUT, sums === undefined ? 0 : SUMS);
      for (let r = 0; r < nr; r++) out[r0 + r] = slab.f64[(OUT >> 3) + r];
      if (sums !== undefined) sums.set(slab.f64.subarray(SUMS >> 3, (SUMS >> 3) + 2 * nr), 2 * r0);
    }
    return flags;
  }
  // rows longer than a chunk: each row in segments, segment sums compensated (kl-wasm/parallel combines the
  // segments its workers compute with the same accumulator, in the same order)
  const acc = new Sum();
  for (let r = 0; r < rows; r++) {
    const rl = params === undefined ? lo : params[r * 4], rh = params === undefined ? hi : params[r * 4 + 1];
    const ra = params === undefined ? a : params[r * 4 + 2], rb = params === undefined ? b : params[r * 4 + 3];
    let sp = 0, sq = 0;
    acc.reset();
    for (let s = 0; s < cols; s += CHUNK) {
      const start = r * cols + s, count = Math.min(CHUNK, cols - s);
      const pp = pRes ? viewOffset(p as Float64Array) + (start << shift) : stage(view, A >> shift, p, start, count);
      const qp = q === undefined ? 0 : qRes ? viewOffset(q as Float64Array) + (start << shift)
        : stage(view, B >> shift, q, start, count);
      flags |= k(pp, qp, 1, count, rl, rh, ra, rb, mode, 0, OUT, sums === undefined ? 0 : SUMS);
      sp += slab.f64[SUMS >> 3];
      sq += slab.f64[(SUMS >> 3) + 1];
      acc.add(slab.f64[OUT >> 3]);
    }
    out[r] = acc.value;
    if (sums !== undefined) {
      sums[2 * r] = sp;
      sums[2 * r + 1] = sq;
    }
  }
  return flags;
}

/** A view x (whose buffer is buf) can be passed by pointer if it lives in this slab with the
 *  element type of the mode it is computed in (float32 views only in the float32 mode). */
function resident(slab: Slab, x: Vector, buf: ArrayBufferLike | undefined, f32: boolean): boolean {
  return buf === slab.buffer && (f32 ? x instanceof Float32Array : x instanceof Float64Array);
}

/** Copies x[start, start + count) into view at index `at`; returns its byte offset. Inputs
 *  reach the driver as typed arrays (plain arrays were copied once by vector()). */
function stage(view: Float64Array | Float32Array, at: number, x: Vector, start: number, count: number): number {
  view.set((start === 0 && count === lengthOf(x) ? x : range(x, start, count)) as Float64Array, at);
  return at * view.BYTES_PER_ELEMENT;
}

// ------------------------------------------------------------------ streaming
/** Bytes a streaming caller may have beside the samples when they are resident (scratch B to its end). */
const STREAM_EXTRA = SCRATCH_END - B;

/** A workspace view up to this many bytes is read in place; a longer one is copied within
 *  the memory into scratch A in pieces of STREAM_VIEW_PIECE bytes, which is faster than the
 *  kernel reading it in place (10^7 float64 into 50 bins: 15 vs 28 ms; docs/drift/histogram.md).
 *  Heap arrays are staged in pieces of STREAM_PIECE bytes (all of scratch A). 10^7 normal
 *  samples into 50 bins, float64 and float32, equal-width and arbitrary edges, the piece size
 *  switched per call in one process (a full GC before each, 21 rounds): heap arrays took 0.3 to
 *  2.3 ms less per call with 64 KiB pieces than with 16 KiB (Node 20 and 24; fewer calls into
 *  the kernel), views about 1 ms less with 32 KiB (64 KiB: no better, equal width float32 up to
 *  7% slower). Exported for the tests, which place values at the pieces' boundaries. */
const STREAM_IN_PLACE = 1 << 20;
export const STREAM_PIECE = B - A, STREAM_VIEW_PIECE = STREAM_PIECE / 2; // 64 KiB (CHUNK float64), 32 KiB

/**
 * Runs a kernel over the samples x, one pass, for kernels that read x alone and keep their
 * own state (tables, parameters) in `bytes` bytes of the same memory:
 * - x a Float64Array (Float32Array when `f32`) view of a workspace (at or after its first
 *   usable byte), and `bytes` within the scratch beside it: `begin(slab, at)` once, then,
 *   up to STREAM_IN_PLACE bytes, one `chunk(x.byteOffset, x.length, 0)`, zero-copy; beyond,
 *   pieces of STREAM_VIEW_PIECE bytes copied within the memory into scratch A;
 * - anything else: the private instance, `begin(slab, at)` with `at` = its heapStart, and x
 *   staged through scratch A in pieces of STREAM_PIECE bytes (other typed arrays are converted
 *   to float64 as they are staged): `chunk(ptr, count, start)`
 *   for x[start, start + count).
 * Synchronous: nothing else can use the private instance between begin and the last chunk.
 */
export function streamSamples(x: Vector, f32: boolean, bytes: number, begin: (slab: Slab, at: number) => void,
                              chunk: (ptr: number, count: number, start: number) => void): void {
  // x's length and offset read once, from its slots (validate.ts): no code of the caller's runs from here on
  const buf = bufferOf(x), n = lengthOf(x);
  const home = buf === undefined ? undefined : slabs.get(buf);
  const offset = home === undefined ? 0 : viewOffset(x as Float64Array);
  if (home !== undefined && bytes <= STREAM_EXTRA && offset >= home.heapStart &&
      (f32 ? x instanceof Float32Array : x instanceof Float64Array)) {
    begin(home, B);
    const view = f32 ? home.f32 : home.f64;
    if (n * view.BYTES_PER_ELEMENT <= STREAM_IN_PLACE) {
      chunk(offset, n, 0);
      return;
    }
    const at = A / view.BYTES_PER_ELEMENT, from = offset / view.BYTES_PER_ELEMENT, per = STREAM_VIEW_PIECE / view.BYTES_PER_ELEMENT;
    for (let s = 0; s < n; s += per) {
      const count = Math.min(per, n - s);
      view.copyWithin(at, from + s, from + s + count);
      chunk(A, count, s);
    }
    return;
  }
  const slab = privateSlab(bytes);
  slab.owner = undefined;
  begin(slab, slab.heapStart);
  const view = f32 ? slab.f32 : slab.f64, per = STREAM_PIECE / view.BYTES_PER_ELEMENT, at = A / view.BYTES_PER_ELEMENT;
  for (let s = 0; s < n; s += per) {
    const count = Math.min(per, n - s);
    chunk(stage(view, at, x, s, count), count, s);
  }
}
