// kl-wasm/parallel's tests (test/parallel*.test.ts): the built worker, seeded distributions on shared or ordinary
// memory, and the comparison of a pool call with the synchronous call (bits, or the error's class and message).
import { expect } from "vitest";
export { rng } from "./random.js";

/** The sources run here with the built worker bundle (`npm test` builds first): set before importing src/parallel.ts. */
export function useBuiltWorker(): void {
  (globalThis as { __KL_WORKER__?: string }).__KL_WORKER__ = new URL("../../dist/parallel-worker.js", import.meta.url).href;
}

/** rows × cols, each row a distribution (zeros sprinkled), on shared memory or not, float64 or float32. */
export function dist(rand: () => number, rows: number, cols: number, f32 = false, shared = false, zeros = 0.05): Float64Array | Float32Array {
  const n = rows * cols, buf = shared ? new SharedArrayBuffer(n * (f32 ? 4 : 8)) : new ArrayBuffer(n * (f32 ? 4 : 8));
  const x = f32 ? new Float32Array(buf) : new Float64Array(buf);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) { const v = rand() < zeros ? 0 : -Math.log(rand() + 1e-300); x[r * cols + c] = v; s += v; }
    for (let c = 0; c < cols; c++) x[r * cols + c] /= s || 1;
  }
  return x;
}

const bits = (x: number | ArrayLike<number>) => (typeof x === "number" ? [x] : Array.from(x));

/** The same bits, of the same type (a number, a typed array, or nearest's { indices, values }). */
export function same(got: unknown, want: unknown): void {
  if (want !== null && typeof want === "object" && "indices" in (want as object)) {
    const g = got as { indices: Int32Array; values: Float64Array }, w = want as typeof g;
    expect(Array.from(g.indices)).toEqual(Array.from(w.indices));
    same(g.values, w.values);
    return;
  }
  const a = bits(got as number), b = bits(want as number);
  expect(a.length).toBe(b.length);
  expect((got as object)?.constructor).toBe((want as object)?.constructor);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect([i, a[i]]).toEqual([i, b[i]]);
}

/** The synchronous call's outcome (value or error), then the pool's, compared. */
export async function agree(f: () => unknown, g: () => Promise<unknown>): Promise<void> {
  let want: unknown, err: Error | undefined;
  try { want = f(); } catch (e) { err = e as Error; }
  if (err !== undefined) {
    const got = await g().then(() => undefined, (e) => e as Error);
    expect(got, `expected ${err.message}`).toBeInstanceOf(err.constructor);
    expect(got!.message).toBe(err.message);
    return;
  }
  same(await g(), want);
}

/** Whether this engine validates relaxed SIMD (a tiny module using it): both builds can run. */
export function hasRelaxedSimd(): boolean {
  return WebAssembly.validate(Uint8Array.from("0061736d0100000001070160027b7b017b030201000a0b01090020002001fd80020b".match(/../g)!,
    (h) => parseInt(h, 16)));
}

/** A pool call made in one build with useSimd switching to the other right after it: its result is the synchronous
 *  call's in the build it was made in, both ways (the builds' results checked to differ first). Restores the build. */
export async function switchMidCall(sync: () => unknown, call: () => Promise<unknown>): Promise<void> {
  const { simdBuild, useSimd } = await import("../../src/core/wasm.js");
  const before = simdBuild(), want: Record<string, unknown> = {};
  try {
    for (const b of ["baseline", "relaxed"] as const) { await useSimd(b); want[b] = sync(); }
    const a = bits(want.baseline as number), b = bits(want.relaxed as number);
    expect(a.some((v, i) => !Object.is(v, b[i]))).toBe(true); // the builds differ here
    for (const [from, to] of [["baseline", "relaxed"], ["relaxed", "baseline"]] as const) {
      await useSimd(from);
      const pending = call();
      await useSimd(to);
      same(await pending, want[from]);
    }
  } finally {
    await useSimd(before);
  }
}
