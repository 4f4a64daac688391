// Apache Arrow JS columns into kl-wasm/drift, as examples/drift/README.md states it: a Float64 or
// Float32 column of one chunk gives, through toArray(), a view of the column's own buffer (no copy,
// for a table built in memory and for one read from IPC bytes, where the view is into those bytes),
// which histogram() reads as it is; a column of several chunks is copied by toArray(), and its
// chunks' values added one by one to an accumulator give the same counts without that copy; a null
// keeps a 0 in the values buffer, which toArray() returns as a number. Sizes reach the engine's fine
// cells (arbitrary edges, n >= 2^14) and equal-width kernels.
import { describe, it, expect } from "vitest";
import { tableFromArrays, tableFromIPC, tableToIPC, vectorFromArray, Float64, Table } from "apache-arrow";
import * as W from "../src/drift.js";
import * as R from "../src/reference-drift.js";
import { rng } from "./helpers/random.js";

const plain = (h: { counts: Float64Array; under: number; over: number; nan: number }) =>
  ({ counts: Array.from(h.counts), under: h.under, over: h.over, nan: h.nan });

describe("Apache Arrow JS columns", () => {
  const r = rng(71), n = 50_000;
  const values = Float64Array.from({ length: n }, () => (r() + r() + r() - 1.5) * 4);
  const arbitrary = Float64Array.from({ length: 41 }, () => (r() - 0.5) * 9).sort();
  const equal = W.histogramEdges(values, { bins: 30 });

  it("a one-chunk Float64 column's toArray() is a view of its buffer, read in place with the counts of a copy", () => {
    const table = tableFromArrays({ x: values });
    const column = table.getChild("x")!;
    expect(column.data).toHaveLength(1);
    const view = column.toArray() as Float64Array;
    expect(view).toBeInstanceOf(Float64Array);
    const own = column.data[0].values as Float64Array;
    expect(view.buffer).toBe(own.buffer); // no copy
    expect(view.byteOffset).toBe(own.byteOffset);
    for (const edges of [arbitrary, equal]) {
      const want = plain(R.histogram(Float64Array.from(values), edges));
      expect(plain(W.histogram(view, edges))).toEqual(want);
      expect(plain(R.histogram(view, edges))).toEqual(want);
    }
    expect(Array.from(view.subarray(0, 5))).toEqual(Array.from(values.subarray(0, 5))); // not written
  });

  it("a column read from IPC bytes is a view into those bytes; a Float32 column gives a Float32Array", () => {
    const bytes = tableToIPC(tableFromArrays({ x: values, y: new Float32Array(values) }));
    const table = tableFromIPC(bytes);
    const x = table.getChild("x")!.toArray() as Float64Array, y = table.getChild("y")!.toArray() as Float32Array;
    expect(x).toBeInstanceOf(Float64Array);
    expect(y).toBeInstanceOf(Float32Array);
    expect(x.buffer).toBe(bytes.buffer); // into the IPC bytes themselves
    expect(y.buffer).toBe(bytes.buffer);
    for (const edges of [arbitrary, equal]) {
      expect(plain(W.histogram(x, edges))).toEqual(plain(R.histogram(Float64Array.from(values), edges)));
      // float32 values widened exactly: the counts of their float64 promotion
      expect(plain(W.histogram(y, edges))).toEqual(plain(R.histogram(Float64Array.from(new Float32Array(values)), edges)));
    }
  });

  it("a column of several chunks: toArray() copies; its chunks added to an accumulator give the same counts", () => {
    const parts = [values.subarray(0, 20_000), values.subarray(20_000, 20_001), values.subarray(20_001)];
    const table = new Table(parts.map((p) => tableFromArrays({ x: Float64Array.from(p) }).batches[0]));
    const column = table.getChild("x")!;
    expect(column.data).toHaveLength(3);
    const joined = column.toArray() as Float64Array;
    for (const d of column.data) expect(joined.buffer).not.toBe((d.values as Float64Array).buffer); // a copy
    for (const edges of [arbitrary, equal]) {
      const h = W.createHistogram(edges);
      for (const chunk of column.data) {
        const v = (chunk.values as Float64Array).subarray(0, chunk.length);
        h.add(v);
      }
      const want = plain(R.histogram(Float64Array.from(values), edges));
      expect({ counts: Array.from(h.counts), under: h.under, over: h.over, nan: h.nan }).toEqual(want);
      expect(plain(W.histogram(joined, edges))).toEqual(want);
    }
  });

  it("a null keeps a 0 in the values buffer: toArray() returns it as a number, so it is counted unless dropped", () => {
    const withNulls: (number | null)[] = Array.from(values.subarray(0, 1000), (v, i) => (i % 7 === 3 ? null : v));
    const column = vectorFromArray(withNulls, new Float64());
    expect(column.nullCount).toBe(143);
    const raw = column.toArray() as Float64Array;
    expect(raw[3]).toBe(0);
    const edges = [-6, -1, 0, 1, 6];
    const kept = withNulls.filter((v): v is number => v !== null);
    const counted = W.histogram(raw, edges), dropped = W.histogram(kept, edges);
    // the 143 nulls land in the bin that holds 0, [0, 1)
    expect(counted.counts[2] - dropped.counts[2]).toBe(143);
    expect(Array.from(counted.counts).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(plain(dropped)).toEqual(plain(R.histogram(kept, edges)));
  });
});
