// Past one machine, on an engine you already have: DuckDB (@duckdb/node-api) holds sharded
// tables (a shard key column: what a GROUP BY over partitions, files or machines gives), computes
// each shard's partial result in SQL (sums, Σ c ln c, histogram counts, contingency counts), and
// kl-wasm finishes the measure from the merged partials (examples/scaling/merge.mjs). Each merged
// result is compared with the one-shot kl-wasm call on all the data, read back from DuckDB:
// bit for bit where the partials are integers (histograms, contingency tables, rows), within a
// stated bound where they are floating-point sums (docs/scaling.md).
//
//   node examples/scaling/duckdb.mjs              10^6 samples, 10^6 elements, 2000 rows x 100
//   node examples/scaling/duckdb.mjs 200000       another size (samples and elements)
//
// runScalingExample() is what test/scaling-examples.test.ts runs. Data are deterministic: values
// from DuckDB's hash() of the row number, never random().
import { DuckDBInstance, DOUBLE, LIST, listValue } from "@duckdb/node-api";
import { pathToFileURL } from "node:url";
import { entropy, klDivergence, crossEntropy, jensenShannon, klDivergenceRows } from "kl-wasm";
import { histogramEdges, quantileEdges, createHistogram, Histogram, ksTest, wasserstein1 } from "kl-wasm/drift";
import { mutualInformation, mutualInformationLabels } from "kl-wasm/mutual";
import { equalWidthSQL, sortedEdgesSQL } from "../drift/duckdb.mjs";
import { driftMetrics, driftMetricsOfSamples } from "../drift/shared.mjs";
import {
  addPartials, fromOnePassPartials, onePassScale, termScales, mergeContingency, ksFromHistograms, wasserstein1FromHistograms,
} from "./merge.mjs";

const U53 = "9007199254740992.0"; // 2^53: hash(k) >> 11 over it is a uniform double in [0, 1)

// ------------------------------------------------------------------ the tables

/**
 * Three sharded tables. `elements`: two count vectors c, d over `elements` elements (c has ~2%
 * zeros; d = c + a small positive or zero offset, so KL is small and terms nearly cancel; d0 is d
 * with ~0.5% zeros, where the default eps clips), shard i % shards. `matrix`: `rows` rows of
 * `cols` positive weights p and q (shard r % shards). `samples`: `samples` values of a feature
 * in two windows (row i is current when i is odd), x logistic (the inverse CDF ln(u / (1 − u)) of a
 * hashed uniform), drifted in the current window (0.2 + 1.1 x); labels a = floor(x) and
 * b = floor(x + logistic noise), each clamped to [−4, 4].
 */
export function tablesSQL({ elements, rows, cols, samples, shards, seed }) {
  const h = (k) => `((hash(${k} + ${seed * 1_000_003}) >> 11)::DOUBLE / ${U53})`;
  return `
CREATE TABLE elements AS
  SELECT i, i % ${shards} AS shard, c, c + off AS d, CASE WHEN hash(i * 7 + ${seed}) % 200 = 0 THEN 0 ELSE c + off END AS d0
  FROM (SELECT i, CASE WHEN hash(i * 5 + ${seed}) % 50 = 0 THEN 0 ELSE floor(${h("4 * i")} * 1000) END AS c,
               floor(${h("4 * i + 1")} * 20) AS off
        FROM range(${elements}) t(i));
CREATE TABLE matrix AS
  SELECT i // ${cols} AS r, i % ${cols} AS j, (i // ${cols}) % ${shards} AS shard,
         ${h("4 * i + 2")} + 1e-3 AS p, ${h("4 * i + 3")} + 1e-3 AS q
  FROM range(${rows * cols}) t(i);
CREATE TABLE samples AS
  SELECT i, shard, "window", x, least(greatest(floor(x), -4), 4)::INTEGER AS a,
         least(greatest(floor(x + 0.8 * ln(v / (1 - v))), -4), 4)::INTEGER AS b
  FROM (SELECT i, i % ${shards} AS shard, CASE WHEN i % 2 = 1 THEN 'current' ELSE 'reference' END AS "window",
               CASE WHEN i % 2 = 1 THEN 0.2 + 1.1 * ln(u / (1 - u)) ELSE ln(u / (1 - u)) END AS x, v
        FROM (SELECT i, (${h("2 * i")} * 0.999999 + 5e-7) AS u, (${h("2 * i + 1")} * 0.999999 + 5e-7) AS v
              FROM range(${samples}) t(i)));`;
}

/**
 * One pass over each shard of `q`'s column: the sums the entropy, cross-entropy and KL of c and q
 * are made of (merge.mjs, fromOnePassPartials). ln(0) is an error in DuckDB: a q of 0 under c > 0
 * is counted apart (qZeros) and left out of the sums.
 */
export const onePassSQL = (q) => `
SELECT shard,
       fsum(c) AS sp, fsum(${q}) AS sq,
       fsum(CASE WHEN c > 0 THEN c * ln(c) ELSE 0 END) AS cLogC,
       fsum(CASE WHEN c > 0 AND ${q} > 0 THEN c * ln(${q}) ELSE 0 END) AS cLogD,
       fsum(CASE WHEN c > 0 AND ${q} > 0 THEN c * ln(c / ${q}) ELSE 0 END) AS cLogCD,
       fsum(CASE WHEN c > 0 AND ${q} > 0 THEN abs(c * ln(c / ${q})) ELSE 0 END) AS absKlTerms,
       count(*) FILTER (WHERE c > 0 AND ${q} = 0) AS qZeros
FROM elements GROUP BY shard ORDER BY shard`;

/**
 * The second pass of the two-pass form, in SQL alone: each shard's share of KL(P‖Q) with q
 * clipped to [eps, 1] after normalising, once the global sums $sp, $sq are known (pass 1: fsum(c),
 * fsum(d0), merged by adding).
 */
export const TWO_PASS_KL_SQL = `
SELECT shard,
       fsum(CASE WHEN c > 0 THEN (c / $sp) * ln((c / $sp) / least(greatest(d0 / $sq, $eps), 1)) ELSE 0 END) AS kl
FROM elements GROUP BY shard ORDER BY shard`;

/**
 * Histogram JSON, one per (window, shard), built in SQL around a query that yields
 * ("window", part, bin, count) with bin codes −2 NaN, −1 under, 0…n−1, n over (the drift
 * example's equalWidthSQL or sortedEdgesSQL, NumPy's convention): every code from −2 to n is
 * listed per group (0 where nothing fell), so the list's positions are the codes + 2.
 */
export function histogramListsSQL(binsSQL) {
  return `WITH c AS (${binsSQL}),
g AS (SELECT DISTINCT "window", part FROM c),
k AS (SELECT range AS bin FROM range(-2, len($edges)))
SELECT g."window", g.part, list(coalesce(c.count, 0)::DOUBLE ORDER BY k.bin) AS codes
FROM g CROSS JOIN k LEFT JOIN c ON c."window" = g."window" AND c.part = g.part AND c.bin = k.bin
GROUP BY ALL ORDER BY g."window", g.part`;
}

/** codes (NaN, under, bins…, over) of one group as a kl-wasm Histogram, through its JSON form. */
function histogramOf(codes, edges) {
  const n = edges.length - 1;
  return Histogram.fromJSON({
    type: "kl-wasm/histogram", version: 1, edges: Array.from(edges),
    counts: codes.slice(2, n + 2), under: codes[1], over: codes[n + 2], nan: codes[0],
  });
}

const SAMPLE_SOURCE = `(SELECT "window", shard AS part, x FROM samples) s`;

// ------------------------------------------------------------------ helpers

async function rowsOf(connection, sql, values, types) {
  return (await connection.runAndReadAll(sql, values, types)).getRowObjectsJS();
}

async function column(connection, sql, values) {
  const result = await connection.runAndReadAll(sql, values);
  return Float64Array.from(result.getColumnsJS()[0], Number);
}

/** |a − b| / scale, with equal values (infinities included) at 0. */
const gap = (a, b, scale) => (Object.is(a, b) || a === b ? 0 : Math.abs(a - b) / scale);

// ------------------------------------------------------------------ the example

/**
 * Runs every case and returns, per case, the merged value, the one-shot value and how they
 * compare (`equal` bit for bit, or `error` against `bound`), plus timings. Options: samples
 * (default 10^6), elements (10^6), rows (2000) x cols (100), shards (8), seed (1), bins (2000,
 * for KS and W1), threads (DuckDB's), log (console.log-like, or null).
 */
export async function runScalingExample({
  samples = 1_000_000, elements = 1_000_000, rows = 2000, cols = 100, shards = 8, seed = 1, bins = 2000, threads,
  log = console.log,
} = {}) {
  const say = log ?? (() => {});
  const timings = {};
  let t = performance.now();
  const lap = (name) => { const now = performance.now(); timings[name] = now - t; t = now; };
  const instance = await DuckDBInstance.create(":memory:", threads ? { threads: String(threads) } : {});
  const connection = await instance.connect();
  const cases = [];
  try {
    await connection.run(tablesSQL({ elements, rows, cols, samples, shards, seed }));
    lap("tables");

    // 1. discrete measures over shards of elements, one pass (eps: 0)
    const c = await column(connection, "SELECT c FROM elements ORDER BY i");
    const d = await column(connection, "SELECT d FROM elements ORDER BY i");
    const d0 = await column(connection, "SELECT d0 FROM elements ORDER BY i");
    const onePass = await rowsOf(connection, onePassSQL("d"));
    const merged = addPartials(onePass.map(({ shard, ...partial }) => partial));
    const fromSums = fromOnePassPartials(merged), scale = onePassScale(merged);
    const exact = { normalize: true, eps: 0 };
    const one = {
      entropy: entropy(c, { normalize: true }), crossEntropy: crossEntropy(c, d, exact), klDivergence: klDivergence(c, d, exact),
    };
    for (const m of ["entropy", "crossEntropy", "klDivergence"]) {
      cases.push({ name: `${m}, one pass (SQL sums of c, d, c ln c, c ln d, c ln(c/d))`, merged: fromSums[m], oneShot: one[m], error: gap(fromSums[m], one[m], scale[m]), bound: 1e-14, scale: scale[m] });
    }
    // q = d0 has zeros under c > 0: KL and H(P, Q) are +Infinity with eps: 0, as the one-shot call says
    const withZeros = fromOnePassPartials(addPartials((await rowsOf(connection, onePassSQL("d0"))).map(({ shard, ...partial }) => partial)));
    const zerosOne = { klDivergence: klDivergence(c, d0, exact), crossEntropy: crossEntropy(c, d0, exact) };
    cases.push({ name: "klDivergence and crossEntropy, one pass, q with zeros under p > 0 (qZeros counted apart)", merged: withZeros, oneShot: zerosOne,
      equal: withZeros.klDivergence === Infinity && zerosOne.klDivergence === Infinity && withZeros.crossEntropy === Infinity && zerosOne.crossEntropy === Infinity });
    lap("one-pass sums");

    // 2. two passes (any eps): global sums first, then each shard's terms by kl-wasm on its slice
    const [{ sp, sq }] = await rowsOf(connection, "SELECT fsum(c) AS sp, fsum(d0) AS sq FROM elements");
    const shardTerms = [];
    for (let s = 0; s < shards; s++) {
      const cs = await column(connection, `SELECT c FROM elements WHERE shard = ${s} ORDER BY i`);
      const ds = await column(connection, `SELECT d0 FROM elements WHERE shard = ${s} ORDER BY i`);
      const p = cs.map((v) => v / sp), q = ds.map((v) => v / sq), asGiven = { normalize: false };
      shardTerms.push({
        entropy: entropy(p, asGiven), klDivergence: klDivergence(p, q, asGiven), crossEntropy: crossEntropy(p, q, asGiven),
        jensenShannon: jensenShannon(p, q, asGiven),
      });
    }
    const twoPass = addPartials(shardTerms);
    const sqlTwoPass = addPartials(await rowsOf(connection, TWO_PASS_KL_SQL, { sp, sq, eps: 1e-15 }, { sp: DOUBLE, sq: DOUBLE, eps: DOUBLE }));
    const norm = { normalize: true };
    const oneD0 = {
      entropy: entropy(c, norm), klDivergence: klDivergence(c, d0, norm), crossEntropy: crossEntropy(c, d0, norm), jensenShannon: jensenShannon(c, d0, norm),
    };
    const S = termScales(c.map((v) => v / sp), d0.map((v) => v / sq));
    for (const m of Object.keys(oneD0)) {
      cases.push({ name: `${m}, two passes (global sums, then kl-wasm on each shard; default eps)`, merged: twoPass[m], oneShot: oneD0[m], error: gap(twoPass[m], oneD0[m], S[m]), bound: 2e-14, scale: S[m] });
    }
    cases.push({ name: "klDivergence, two passes in SQL alone (default eps)", merged: sqlTwoPass.kl, oneShot: oneD0.klDivergence, error: gap(sqlTwoPass.kl, oneD0.klDivergence, S.klDivergence), bound: 2e-14, scale: S.klDivergence });
    lap("two-pass terms");

    // 3. rows: each shard's rows by one klDivergenceRows call, put back in place
    const P = await column(connection, "SELECT p FROM matrix ORDER BY r, j"), Q = await column(connection, "SELECT q FROM matrix ORDER BY r, j");
    const rowsMerged = new Float64Array(rows);
    for (let s = 0; s < shards; s++) {
      const ids = await column(connection, `SELECT DISTINCT r FROM matrix WHERE shard = ${s} ORDER BY r`);
      const Ps = await column(connection, `SELECT p FROM matrix WHERE shard = ${s} ORDER BY r, j`);
      const Qs = await column(connection, `SELECT q FROM matrix WHERE shard = ${s} ORDER BY r, j`);
      const out = klDivergenceRows(Ps, Qs, cols, norm);
      ids.forEach((r, k) => { rowsMerged[r] = out[k]; });
    }
    const rowsOne = klDivergenceRows(P, Q, cols, norm);
    cases.push({ name: `klDivergenceRows, ${rows} x ${cols}, rows split over ${shards} shards`, merged: rowsMerged, oneShot: rowsOne, equal: rowsMerged.every((v, r) => Object.is(v, rowsOne[r])) });
    lap("rows");

    // 4. histograms: edges agreed first (from merged min/max, or from a sample), counts per shard in SQL
    const x = {};
    for (const w of ["reference", "current"]) x[w] = await column(connection, `SELECT x FROM samples WHERE "window" = '${w}' ORDER BY i`);
    const ranges = await rowsOf(connection, `SELECT shard, min(x) AS lo, max(x) AS hi FROM samples GROUP BY shard`);
    const lo = Math.min(...ranges.map((r) => r.lo)), hi = Math.max(...ranges.map((r) => r.hi));
    const widthEdges = histogramEdges([lo, hi], { bins });
    const allEdges = histogramEdges(Float64Array.from([...x.reference, ...x.current]), { bins });
    const sample = await column(connection, `SELECT x FROM (SELECT x FROM samples WHERE "window" = 'reference' ORDER BY i) USING SAMPLE reservoir(10000 ROWS) REPEATABLE (${seed})`);
    const decileEdges = quantileEdges(sample, 10);
    const histograms = async (sqlOf, edges) => {
      const groups = await rowsOf(connection, histogramListsSQL(sqlOf("x", SAMPLE_SOURCE)), { edges: listValue(Array.from(edges)) }, { edges: LIST(DOUBLE) });
      const out = { reference: createHistogram(edges), current: createHistogram(edges) };
      for (const g of groups) out[g.window].merge(histogramOf(g.codes, edges));
      return out;
    };
    const fine = await histograms(equalWidthSQL, widthEdges);
    const deciles = await histograms(sortedEdgesSQL, decileEdges);
    lap("SQL histograms");
    cases.push({ name: `equal-width edges from merged min/max = histogramEdges of all samples (${bins} bins)`, merged: widthEdges, oneShot: allEdges, equal: widthEdges.every((v, i) => Object.is(v, allEdges[i])) && widthEdges.length === allEdges.length });
    for (const [label, h, edges] of [[`${bins} equal-width bins`, fine, widthEdges], ["deciles of a 10^4 sample", deciles, decileEdges]]) {
      const m = driftMetrics(h.reference, h.current), o = driftMetricsOfSamples(x.reference, x.current, edges);
      cases.push({ name: `psi, KL, JS distance of merged counts, ${label}`, merged: m, oneShot: o, equal: Object.keys(o).every((k) => Object.is(m[k], o[k])) });
    }
    const ks = ksFromHistograms(fine.reference, fine.current), ksExact = ksTest(x.reference, x.current).statistic;
    cases.push({ name: `KS statistic bracketed by merged ${bins}-bin histograms`, merged: ks, oneShot: ksExact, inside: ks.low <= ksExact && ksExact <= ks.high, error: ksExact - ks.statistic, bound: ks.slack });
    const w1 = wasserstein1FromHistograms(fine.reference, fine.current), w1Exact = wasserstein1(x.reference, x.current);
    cases.push({ name: `wasserstein1 from bin midpoints of merged ${bins}-bin histograms`, merged: w1.value, oneShot: w1Exact, error: Math.abs(w1.value - w1Exact), bound: w1.maxWidth });
    lap("merge, metrics, KS, W1");

    // 5. contingency tables -> mutual information
    const shardsRows = [];
    const counts = await rowsOf(connection, `SELECT shard, a, b, count(*) AS count FROM samples GROUP BY ALL`);
    for (let s = 0; s < shards; s++) shardsRows.push(counts.filter((r) => Number(r.shard) === s));
    const table = mergeContingency(shardsRows);
    const a = Int32Array.from(await column(connection, "SELECT a FROM samples ORDER BY i")), b = Int32Array.from(await column(connection, "SELECT b FROM samples ORDER BY i"));
    const miMerged = mutualInformation(table.counts, table.cols, { counts: true }), miOne = mutualInformationLabels(a, b);
    cases.push({ name: `mutualInformation of the merged ${table.rows} x ${table.cols} contingency table`, merged: miMerged, oneShot: miOne, error: gap(miMerged, miOne, 1), bound: 4e-15 });
    lap("contingency");

    for (const k of cases) k.ok = k.equal ?? ((k.inside ?? true) && k.error <= k.bound);
    say(`${samples} samples, ${elements} elements, ${rows} x ${cols} rows, ${shards} shards`);
    for (const k of cases) {
      const detail = k.equal !== undefined ? `bit for bit: ${k.equal}` :
        `${typeof k.merged === "number" ? `merged ${k.merged}, one-shot ${k.oneShot}, ` : `one-shot ${k.oneShot}, [${k.merged.low}, ${k.merged.high}], `}` +
        `error ${k.error.toExponential(2)}${k.scale ? " (relative to the scale)" : ""} <= bound ${k.bound.toExponential(2)}: ${k.ok}`;
      say(`  ${k.name}\n    ${detail}`);
    }
    say("timings (ms): " + Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", "));
    return { ok: cases.every((k) => k.ok), cases, timings };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  const { ok } = await runScalingExample(n ? { samples: n, elements: n } : {});
  if (!ok) {
    console.error("MISMATCH: a merged result is outside its bound");
    process.exit(1);
  }
}
