// Mergeable summaries with an existing engine: DuckDB (@duckdb/node-api) generates a table of
// 10^7 rows (a reference and a current window of a drifted feature, deterministic: values from
// DuckDB's hash() of the row number, never random()), writes it to Parquet partitioned into 8
// partitions per window, and counts each partition's bins with SQL on kl-wasm's edges, in
// NumPy's convention (bins half-open except the last, which holds its right edge; under, over
// and NaN counted apart). Each partition's counts become Histogram JSON; kl-wasm merges them
// in a shuffled order and computes the drift metrics, which must equal, count for count and bit
// for bit, kl-wasm's own histogram of the same rows read back from the Parquet files.
//
//   node examples/drift/duckdb.mjs            10^7 rows (about 10 s on 2 cores)
//   node examples/drift/duckdb.mjs 1000000    any other size
//
// runDuckDBExample() is what test/drift-duckdb.test.ts runs at 10^6 rows.
import { DuckDBInstance, DOUBLE, LIST, listValue } from "@duckdb/node-api";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { histogramEdges, quantileEdges, histogram, createHistogram, Histogram } from "kl-wasm/drift";
import { driftMetrics, driftMetricsOfSamples, mulberry32 } from "./shared.mjs";

// ------------------------------------------------------------------ SQL

/** The edges xs is snapped onto: np.linspace(-3.7, 4.1, 27) (16 of their 79 values and
 * neighbours in range get a wrong first guess from the affine map). */
export const SNAP_GRID = { lo: -3.7, hi: 4.1, bins: 26 };

/**
 * The table: row i of `rows` is in the reference window for i < rows / 2, the current one
 * after; partition i % partitions. x is a standard normal from Box–Muller on two 53-bit
 * uniforms taken from hash(2i) and hash(2i + 1) (DuckDB's hash is deterministic; the seed
 * shifts the row numbers hashed); in the current window it is shifted by 0.3 and scaled by
 * 1.25 (the drift). xs is x snapped onto NumPy's edges of `grid` (np.linspace(lo, hi, bins + 1),
 * computed here with linspace's own arithmetic, k * ((hi - lo) / bins) + lo and hi itself last):
 * the edge nearest x, or the double just below or just above it (row i % 3 says which), unless
 * x is more than 0.25 outside [lo, hi], where it stays x. Those values are where NumPy's
 * equal-width guess can be off by one and its correction against the edges decides.
 */
export function generateSQL({ rows, partitions, seed, path, grid = SNAP_GRID }) {
  const half = Math.floor(rows / 2), shift = BigInt(seed) << 40n;
  const lo = `'${grid.lo}'::DOUBLE`, hi = `'${grid.hi}'::DOUBLE`, n = grid.bins;
  return `COPY (
  WITH u AS (
    SELECT i, i >= ${half} AS cur,
           ((hash(2 * (i + ${shift})) >> 11)::DOUBLE + 0.5) / 9007199254740992 AS u1,
           ((hash(2 * (i + ${shift}) + 1) >> 11)::DOUBLE) / 9007199254740992 AS u2
    FROM range(${rows}) t(i)),
  x AS (
    SELECT i, cur, CASE WHEN cur THEN 0.3 + 1.25 * z ELSE z END AS x
    FROM (SELECT i, cur, sqrt(-2 * ln(u1)) * cos(2 * pi() * u2) AS z FROM u)),
  k AS (
    SELECT i, cur, x, least(greatest(round((x - ${lo}) / ((${hi} - ${lo}) / ${n})), 0), ${n})::BIGINT AS k FROM x),
  e AS (
    SELECT i, cur, x, CASE WHEN k = ${n} THEN ${hi} ELSE k * ((${hi} - ${lo}) / ${n}) + ${lo} END AS e FROM k)
  SELECT i AS id,
         CASE WHEN cur THEN 'current' ELSE 'reference' END AS "window",
         i % ${partitions} AS part,
         x,
         CASE WHEN x < ${lo} - 0.25 OR x > ${hi} + 0.25 THEN x
              ELSE nextafter(e, CASE i % 3 WHEN 0 THEN '-inf'::DOUBLE WHEN 1 THEN e ELSE 'inf'::DOUBLE END) END AS xs
  FROM e
) TO '${path}' (FORMAT parquet, PARTITION_BY ("window", part))`;
}

/**
 * Per-partition bin counts of column `col` on the edges bound as $edges (a DOUBLE[]), NumPy's
 * equal-width algorithm (numpy/lib/_histograms_impl.py, histogram(): the uniform-bins path):
 * a guess from the affine map (x - e0) / (eN - e0) * n truncated, the value on the last edge
 * moved into the last bin, then corrected once against the edges themselves: down one if x is
 * below the guessed bin's left edge, up one if x is at or above its right edge (except in the
 * last bin, which holds its right edge). Bin codes: -2 NaN, -1 under (x < e0), n over (x > eN).
 * DuckDB lists are 1-based: e[i + 1] is edge i.
 */
export function equalWidthSQL(col, source) {
  return `WITH p AS (SELECT $edges AS e, len($edges) - 1 AS n),
g AS (
  SELECT "window", part, ${col} AS x, e, n,
         CASE WHEN isnan(${col}) THEN -2
              WHEN ${col} < e[1] THEN -1
              WHEN ${col} > e[n + 1] THEN n
              ELSE least(trunc((${col} - e[1]) / (e[n + 1] - e[1]) * n)::BIGINT, n - 1) END AS i
  FROM ${source} CROSS JOIN p
  WHERE ${col} IS NOT NULL),
d AS (
  SELECT "window", part, x, e, n,
         CASE WHEN i >= 0 AND i < n AND x < e[i + 1] THEN i - 1 ELSE i END AS i
  FROM g),
u AS (
  SELECT "window", part,
         CASE WHEN i >= 0 AND i < n - 1 AND x >= e[i + 2] THEN i + 1 ELSE i END AS i
  FROM d)
SELECT "window", part, i AS bin, count(*) AS count FROM u GROUP BY ALL`;
}

/**
 * Per-partition bin counts on any sorted edges (quantile edges, say): what NumPy does for an
 * edges array (searchsorted(edges, x, "right") - 1, the last edge closed), written as the
 * number of edges <= x minus one. Same bin codes as equalWidthSQL.
 */
export function sortedEdgesSQL(col, source) {
  return `WITH p AS (SELECT $edges AS e, len($edges) - 1 AS n)
SELECT "window", part,
       CASE WHEN isnan(${col}) THEN -2
            WHEN ${col} < e[1] THEN -1
            WHEN ${col} > e[n + 1] THEN n
            WHEN ${col} = e[n + 1] THEN n - 1
            ELSE len(list_filter(e, lambda v: v <= ${col})) - 1 END AS bin,
       count(*) AS count
FROM ${source} CROSS JOIN p
WHERE ${col} IS NOT NULL
GROUP BY ALL`;
}

// ------------------------------------------------------------------ helpers

function shuffle(items, random) {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** One column of a query's result, read chunk by chunk into one Float64Array of `length` values. */
async function readColumn(connection, sql, length) {
  const out = new Float64Array(length);
  const result = await connection.stream(sql);
  let n = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const items = chunk.getColumnVector(0).items; // a Float64Array over the chunk's data
    out.set(items, n);
    n += items.length;
  }
  if (n !== length) throw new Error(`readColumn: ${n} values, expected ${length}`);
  return out;
}

/**
 * Rows of (window, part, bin, count) into one Histogram JSON per (window, part), as each
 * partition's worker would send them: { type, version, edges, counts, under, over, nan }.
 */
function partitionJSON(rows, edges) {
  const n = edges.length - 1, byKey = new Map();
  for (const [window, part, bin, count] of rows) {
    const key = `${window}/${part}`;
    let json = byKey.get(key);
    if (!json) {
      json = { type: "kl-wasm/histogram", version: 1, edges: Array.from(edges), counts: new Array(n).fill(0), under: 0, over: 0, nan: 0 };
      byKey.set(key, json);
    }
    const b = Number(bin), c = Number(count);
    if (b === -2) json.nan += c;
    else if (b === -1) json.under += c;
    else if (b === n) json.over += c;
    else json.counts[b] += c;
  }
  return byKey;
}

/** How many values of both windows equal an edge exactly (memoised per column and edges). */
const onEdgeCache = new WeakMap();
function countOnEdges(windows, edges) {
  const byEdges = onEdgeCache.get(windows) ?? new Map();
  onEdgeCache.set(windows, byEdges);
  if (!byEdges.has(edges)) {
    const set = new Set(edges);
    let n = 0;
    for (const window of ["reference", "current"]) for (const v of windows[window]) if (set.has(v)) n++;
    byEdges.set(edges, n);
  }
  return byEdges.get(edges);
}

function sameCounts(a, b) {
  const x = a.counts, y = b.counts; // (a Histogram's counts getter copies)
  return a.under === b.under && a.over === b.over && a.nan === b.nan && x.length === y.length && x.every((c, i) => c === y[i]);
}

const sameMetrics = (a, b) => Object.keys(a).every((k) => Object.is(a[k], b[k]));

// ------------------------------------------------------------------ the example

/**
 * Runs the whole example and returns, per case (a column and its edges), the edges, the merged
 * histograms of both windows, kl-wasm's own histograms of the same rows, the metrics of each
 * and whether they agree (`equal`), plus timings in ms. Options: rows (default 10^7, even),
 * partitions (8), seed (1: the data; the merge order follows from it too), threads (DuckDB's,
 * default all cores), keep (leave the Parquet files in the temp dir), log (a console.log-like
 * function, or null for silence).
 */
export async function runDuckDBExample({ rows = 10_000_000, partitions = 8, seed = 1, threads, keep = false, log = console.log } = {}) {
  const say = log ?? (() => {});
  const timings = {};
  let t = performance.now();
  const lap = (name) => { const now = performance.now(); timings[name] = now - t; t = now; };

  const dir = mkdtempSync(join(tmpdir(), "kl-wasm-drift-"));
  const instance = await DuckDBInstance.create(":memory:", threads ? { threads: String(threads) } : {});
  const connection = await instance.connect();
  try {
    // 1. the table, written to Parquet: one directory per window and partition
    const path = join(dir, "rows");
    await connection.run(generateSQL({ rows, partitions, seed, path }));
    const source = `read_parquet('${join(path, "**", "*.parquet")}', hive_partitioning = true)`;
    lap("generate and write Parquet");

    // 2. the same rows read back from Parquet into Float64Arrays (kl-wasm's side)
    const half = Math.floor(rows / 2), sizes = { reference: half, current: rows - half };
    const column = {};
    for (const col of ["x", "xs"]) {
      column[col] = {};
      for (const window of ["reference", "current"]) {
        column[col][window] = await readColumn(connection, `SELECT ${col} FROM ${source} WHERE "window" = '${window}'`, sizes[window]);
      }
    }
    lap("read back from Parquet");

    // 3. edges from the reference window, with kl-wasm
    const snapEdges = histogramEdges(column.xs.reference, { bins: SNAP_GRID.bins, range: [SNAP_GRID.lo, SNAP_GRID.hi] });
    const cases = [
      { name: "x, Sturges edges of the reference, equal-width SQL", col: "x", sql: equalWidthSQL,
        edges: histogramEdges(column.x.reference, { bins: "sturges" }) },
      { name: "x, deciles of the reference, any-edges SQL", col: "x", sql: sortedEdgesSQL, edges: quantileEdges(column.x.reference, 10) },
      { name: "xs, on and beside its edges, equal-width SQL", col: "xs", sql: equalWidthSQL, edges: snapEdges },
      { name: "xs, the same edges, any-edges SQL", col: "xs", sql: sortedEdgesSQL, edges: snapEdges },
    ];
    lap("edges");

    // 4. per-partition counts in DuckDB, as Histogram JSON
    for (const c of cases) {
      const result = await connection.runAndReadAll(c.sql(c.col, source), { edges: listValue(Array.from(c.edges)) }, { edges: LIST(DOUBLE) });
      c.partitions = partitionJSON(result.getRows(), c.edges);
    }
    lap("SQL bin counts");
    // both SQL forms give every partition the same counts on the same edges
    const sqlFormsAgree = [...cases[2].partitions].every(([key, json]) => JSON.stringify(json) === JSON.stringify(cases[3].partitions.get(key)));

    // 5. merged in a shuffled order (through JSON text, as they would travel), then the metrics
    const random = mulberry32(seed);
    for (const c of cases) {
      c.merged = {};
      for (const window of ["reference", "current"]) {
        const jsons = [...c.partitions].filter(([key]) => key.startsWith(window + "/")).map(([, json]) => JSON.stringify(json));
        const total = createHistogram(c.edges);
        for (const text of shuffle(jsons, random)) total.merge(Histogram.fromJSON(JSON.parse(text)));
        c.merged[window] = total;
      }
      c.mergedMetrics = driftMetrics(c.merged.reference, c.merged.current);
    }
    lap("merge and metrics");

    // 6. kl-wasm's own histogram of the same rows, and the metrics straight from the rows
    for (const c of cases) {
      c.direct = {};
      for (const window of ["reference", "current"]) c.direct[window] = histogram(column[c.col][window], c.edges);
      c.directMetrics = driftMetricsOfSamples(column[c.col].reference, column[c.col].current, c.edges);
      c.onEdge = countOnEdges(column[c.col], c.edges);
      c.equal = sameCounts(c.merged.reference, c.direct.reference) && sameCounts(c.merged.current, c.direct.current) &&
        sameMetrics(c.mergedMetrics, c.directMetrics);
    }
    lap("kl-wasm histogram of the rows");

    // report
    say(`${rows} rows (${partitions} partitions per window), Parquet in ${dir}${keep ? "" : " (removed at the end)"}`);
    for (const c of cases) {
      const m = c.mergedMetrics, r = c.merged.reference, q = c.merged.current;
      say(`\n${c.name}: ${c.edges.length - 1} bins on [${c.edges[0]}, ${c.edges[c.edges.length - 1]}]`);
      say(`  values exactly on an edge: ${c.onEdge}`);
      say(`  reference: under ${r.under}, over ${r.over}, in bins ${r.total - r.under - r.over - r.nan}`);
      say(`  current:   under ${q.under}, over ${q.over}, in bins ${q.total - q.under - q.over - q.nan}`);
      say(`  PSI ${m.psi.toFixed(6)}   KL(reference||current) ${m.klDivergence.toFixed(6)}   JS distance ${m.jensenShannonDistance.toFixed(6)}`);
      say(`  merged DuckDB counts = kl-wasm histogram of the rows, metrics bit for bit: ${c.equal}`);
    }
    say(`\nequal-width SQL and any-edges SQL, partition by partition on xs: ${sqlFormsAgree ? "identical" : "DIFFERENT"}`);
    say("timings (ms): " + Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", "));
    const equal = cases.every((c) => c.equal) && sqlFormsAgree;
    return {
      equal,
      sqlFormsAgree,
      timings,
      cases: cases.map((c) => ({
        name: c.name, edges: c.edges, equal: c.equal, onEdge: c.onEdge,
        merged: { reference: c.merged.reference.toJSON(), current: c.merged.current.toJSON() },
        direct: c.direct, mergedMetrics: c.mergedMetrics, directMetrics: c.directMetrics,
      })),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = process.argv[2] ? Number(process.argv[2]) : undefined;
  const { equal } = await runDuckDBExample({ rows });
  if (!equal) {
    console.error("MISMATCH: the merged counts differ from kl-wasm's histogram of the rows");
    process.exit(1);
  }
}
