// Inputs users really pass: getters that call the library, arrays read once, options
// with inherited keys, strict option types, workspace views released wrongly.
import { describe, it, expect, afterEach } from "vitest";
import * as wasm from "../src/index.js";
import * as ref from "../src/reference.js";

const builds = [["wasm", wasm], ["reference", ref]] as const;

function distribution(n: number, seed: number): number[] {
  const x = Array.from({ length: n }, (_, i) => ((i * 7919 + seed * 104729) % 97) + 1);
  const s = x.reduce((a, b) => a + b, 0);
  return x.map((v) => v / s);
}

/** A plain array whose element `at` is a getter that runs `during` and counts its reads. */
function trapped(values: number[], at: number, during: () => void) {
  const arr = values.slice();
  const reads = { n: 0 };
  Object.defineProperty(arr, at, { get() { reads.n++; during(); return values[at]; }, enumerable: true });
  return { arr, reads };
}

describe.each(builds)("%s: re-entrancy and single reads", (_name, api) => {
  for (const n of [3, 40, 5000]) {
    it(`a getter that calls the library mid-call leaves the outer result unchanged (n = ${n})`, () => {
      const p = distribution(n, 1), q = distribution(n, 2);
      const want = api.klDivergence(p, q), wantJs = api.jensenShannon(p, q), wantH = api.entropy(p, { normalize: true });
      const other = Float64Array.from(distribution(4000, 3)), other2 = Float64Array.from(distribution(4000, 4));
      const nested = () => {
        wasm.klDivergence(other, other2);
        ref.jensenShannon(other2, other);
        wasm.entropyRows(other, 40, { normalize: true });
      };
      for (const at of [0, n >> 1, n - 1]) {
        const { arr, reads } = trapped(p, at, nested);
        expect(api.klDivergence(arr, q)).toBe(want);
        expect(reads.n).toBe(1); // read once, even though the value is checked and summed
        const t = trapped(p, at, nested);
        expect(api.jensenShannon(q.length ? t.arr : p, q)).toBe(wantJs);
        expect(t.reads.n).toBe(1);
        const h = trapped(p, at, nested);
        expect(api.entropy(h.arr, { normalize: true })).toBe(wantH);
        expect(h.reads.n).toBe(1);
      }
    });
  }

  it("an element that throws is the caller's error, and the library stays usable", () => {
    const p = distribution(100, 1), q = distribution(100, 2);
    const arr = p.slice();
    Object.defineProperty(arr, 50, { get() { throw new Error("boom"); } });
    expect(() => api.klDivergence(arr, q)).toThrow("boom");
    expect(api.klDivergence(p, q)).toBe(api.klDivergence(Float64Array.from(p), Float64Array.from(q)));
  });

  it("options: own keys only; inherited keys change nothing; getters read once", () => {
    const p = distribution(50, 1), q = distribution(50, 2);
    const want = api.klDivergence(p, q);
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.eps = 0.5;
      proto.normalize = "yes";
      proto.base = 2;
      expect(api.klDivergence(p, q)).toBe(want);
      expect(api.klDivergence(p, q, {})).toBe(want);
      expect(api.entropy(p, {})).toBe(api.entropy(p));
    } finally {
      delete proto.eps;
      delete proto.normalize;
      delete proto.base;
    }
    let reads = 0;
    const o = { get eps() { reads++; return 0; } };
    api.klDivergence(p, q, o);
    expect(reads).toBe(1);
    // an instance whose class adds options through its prototype: only own keys count
    class Opts { base = 2; }
    expect(api.entropy(p, new Opts())).toBe(api.entropy(p, { base: 2 }));
  });

  it("options: wrong types are errors, never truthy or falsy guesses", () => {
    const p = [0.5, 0.5];
    // @ts-expect-error: a string is not a boolean
    expect(() => api.entropy(p, { normalize: "false" })).toThrow(new TypeError('entropy: normalize must be true or false, got "false"'));
    // @ts-expect-error: a number is not a boolean
    expect(() => api.klDivergence(p, p, { normalize: 0 })).toThrow(new TypeError("klDivergence: normalize must be true or false, got 0"));
    // @ts-expect-error: options must be an object
    expect(() => api.entropy(p, 2)).toThrow(new TypeError("entropy: options must be an object, got number"));
  });

  it("*Rows without cols is an error, not one row", () => {
    // @ts-expect-error: cols is required
    expect(() => api.entropyRows([0.5, 0.5])).toThrow(new RangeError("entropyRows: cols must be a positive integer, got undefined"));
    // @ts-expect-error: cols is required
    expect(() => api.klDivergenceRows([0.5, 0.5], [0.5, 0.5])).toThrow(/klDivergenceRows: cols must be a positive integer, got undefined/);
    // @ts-expect-error: cols is required
    expect(() => api.jensenShannonDistanceRows([0.5, 0.5], [0.5, 0.5], { base: 2 })).toThrow(/cols must be a positive integer/);
  });

  it("a Proxy over an array is read once per element", () => {
    const p = distribution(64, 5), q = distribution(64, 6);
    let gets = 0;
    const proxy = new Proxy(p, { get(t, k, r) { if (typeof k === "string" && /^\d+$/.test(k)) gets++; return Reflect.get(t, k, r); } });
    expect(api.klDivergence(proxy, q)).toBe(api.klDivergence(p, q));
    expect(gets).toBe(64);
  });
});

describe("workspaces: releasing wrongly is an error and frees nothing", () => {
  let ws: wasm.Workspace;
  afterEach(() => ws.dispose());

  it("a stale view released after its memory was handed out again", () => {
    ws = wasm.createWorkspace(1 << 16);
    const a = ws.f64(100);
    ws.release(a);
    const b = ws.f64(100); // the same memory
    expect(b.byteOffset).toBe(a.byteOffset);
    expect(() => ws.release(a)).toThrow(/already released, or is not one this workspace handed out/);
    const c = ws.f64(100);
    expect(c.byteOffset).not.toBe(b.byteOffset); // b still owns its memory
    b.fill(1);
    expect(c.every((v) => v === 0)).toBe(true);
  });

  it("a subarray of a live view", () => {
    ws = wasm.createWorkspace(1 << 16);
    const v = ws.f32(1000);
    expect(() => ws.release(v.subarray(0, 1))).toThrow(/a subarray or a copy of a view cannot be released/);
    expect(ws.used).toBe(4032);
    const w = ws.f32(1000);
    expect(w.byteOffset).toBeGreaterThanOrEqual(v.byteOffset + 4000);
    ws.release(v);
    ws.release(w);
    expect(ws.used).toBe(0);
  });
});
