// The DuckDB example (examples/drift/duckdb.mjs) at test size: DuckDB's per-partition SQL bin
// counts of a generated Parquet table, merged by kl-wasm in a shuffled order, equal kl-wasm's
// own histogram of the same rows (every count, under, over, NaN) and give the same metrics bit
// for bit, for equal-width edges from data, quantile edges, and values on and next to edges
// where NumPy's first guess is off by one (counted by both SQL forms, which agree). Runs against the built package (kl-wasm/drift),
// as the example does: `npm test` builds first.
import { describe, it, expect } from "vitest";
import { runDuckDBExample } from "../examples/drift/duckdb.mjs";

interface Counts { counts: ArrayLike<number>; under: number; over: number; nan: number }
interface Case {
  name: string; edges: Float64Array; equal: boolean; onEdge: number;
  merged: { reference: Counts; current: Counts }; direct: { reference: Counts; current: Counts };
  mergedMetrics: Record<string, number>; directMetrics: Record<string, number>;
}

const total = (h: Counts) => Array.from(h.counts).reduce((a, b) => a + b, 0) + h.under + h.over + h.nan;

function check(result: { equal: boolean; sqlFormsAgree: boolean; cases: Case[] }, rows: number) {
  expect(result.cases).toHaveLength(4);
  for (const c of result.cases) {
    for (const window of ["reference", "current"] as const) {
      const m = c.merged[window], d = c.direct[window];
      expect(Array.from(m.counts), `${c.name} ${window}`).toEqual(Array.from(d.counts));
      expect([m.under, m.over, m.nan], `${c.name} ${window}`).toEqual([d.under, d.over, d.nan]);
      expect(total(m)).toBe(rows / 2);
    }
    for (const k of Object.keys(c.directMetrics)) {
      expect(Object.is(c.mergedMetrics[k], c.directMetrics[k]), `${c.name} ${k}`).toBe(true);
      expect(Number.isFinite(c.mergedMetrics[k]) && c.mergedMetrics[k] > 0).toBe(true); // the current window drifted
    }
    expect(c.merged.current.under + c.merged.current.over).toBeGreaterThan(0); // mass outside the reference's edges
    expect(c.equal).toBe(true);
  }
  // the snapped column: a third of its values sit exactly on an edge, the rest one ulp beside one
  expect(result.cases[2].onEdge).toBeGreaterThan(rows / 4);
  // on it, NumPy's equal-width guess-and-correct and the any-edges count agree partition by partition
  expect(result.cases[3].edges).toEqual(result.cases[2].edges);
  expect(result.sqlFormsAgree).toBe(true);
  expect(result.equal).toBe(true);
}

describe("DuckDB per-partition counts merged by kl-wasm", () => {
  it("10^6 rows, 8 partitions per window", async () => {
    const result = await runDuckDBExample({ rows: 1_000_000, log: null });
    check(result, 1_000_000);
  });

  it("another seed, 5 partitions per window (another merge order)", async () => {
    const result = await runDuckDBExample({ rows: 200_000, partitions: 5, seed: 7, log: null });
    check(result, 200_000);
  });
});
