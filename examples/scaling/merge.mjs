// What a coordinator does with the partial results that shards (machines, SQL GROUP BY groups)
// send back: add them, then finish the measure. Nothing here reads data: every function takes
// the small partial results (sums, counts, histograms) and kl-wasm does the rest.
// docs/scaling.md has the algebra and the bounds; examples/scaling/duckdb.mjs feeds these
// functions from DuckDB SQL and test/scaling-examples.test.ts checks them against one-shot calls.
import { wasserstein1 } from "kl-wasm/drift";

/**
 * Adds partial sums field by field: [{ sp: 3, spLogP: 1.2 }, { sp: 4, spLogP: 0.7 }] →
 * { sp: 7, spLogP: 1.9 }, with a Neumaier-compensated sum per field (shard partials are few,
 * but one may be much larger than another). Any field set works; every partial must have the
 * same fields.
 */
export function addPartials(partials) {
  const keys = Object.keys(partials[0] ?? {});
  const out = {};
  for (const k of keys) {
    let s = 0, c = 0;
    for (const part of partials) {
      if (!(k in part)) throw new RangeError(`addPartials: a partial has no field '${k}'`);
      const x = Number(part[k]);
      const t = s + x;
      c += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
      s = t;
    }
    out[k] = Number.isFinite(s) ? s + c : s; // an infinite partial (c ln 0) stays infinite, not NaN
  }
  return out;
}

/**
 * One-pass partials of two count (weight) vectors c and d over the same elements, split into
 * shards of elements: per shard sp = Σc, sq = Σd, cLogC = Σ_{c>0} c ln c, cLogD = Σ_{c>0} c ln d,
 * cLogCD = Σ_{c>0} c ln(c / d) (one log of the ratio: no cancellation between cLogC and cLogD when
 * c ≈ d), absKlTerms = Σ_{c>0} |c ln(c / d)| (for the bound). With S_p = Σsp, S_q = Σsq over all
 * shards (p = c / S_p, q = d / S_q):
 *   H(P)     = ln S_p − cLogC / S_p
 *   H(P, Q)  = ln S_q − cLogD / S_p
 *   KL(P‖Q)  = cLogCD / S_p + ln(S_q / S_p)
 * These equal entropy / crossEntropy / klDivergence with { normalize: true, eps: 0 } (SciPy's
 * semantics: no clip), and the default eps too when every d / S_q under a c > 0 is at least eps
 * (min(d) over c > 0, merged by min, tells). Otherwise the clip needs S_q before any term is
 * formed: use two passes (docs/scaling.md). A c > 0 where d = 0 makes KL and H(P, Q) +Infinity, as
 * eps: 0 does: either through the sums (c ln 0 = −Infinity in JS) or counted apart as qZeros (SQL,
 * where ln(0) is an error or NULL: the sums then leave those elements out). Missing q fields: the
 * entropy alone.
 */
export function fromOnePassPartials({ sp, sq, cLogC, cLogD, cLogCD, qZeros = 0 }) {
  if (!(sp > 0)) throw new RangeError(`fromOnePassPartials: p sums to ${sp}`);
  const entropy = Math.log(sp) - cLogC / sp;
  if (sq === undefined) return { entropy };
  if (!(sq > 0)) throw new RangeError(`fromOnePassPartials: q sums to ${sq}`);
  if (qZeros > 0) return { entropy, crossEntropy: Infinity, klDivergence: Infinity };
  return {
    entropy,
    crossEntropy: Math.log(sq) - cLogD / sp,
    klDivergence: cLogCD / sp + Math.log(sq / sp),
  };
}

/**
 * The scale of the one-pass formulas' rounding: each result is a sum of two terms, each correct
 * to a few units of 2^-53 of its size when the shards' sums are compensated (DuckDB's fsum), so
 * its absolute error is a few 2^-53 times: |cLogC| / S_p + |ln S_p| + 1 (entropy),
 * |cLogD| / S_p + |ln S_q| + 1 (cross-entropy), absKlTerms / S_p + |ln(S_q / S_p)| + 1 (KL).
 */
export function onePassScale({ sp, sq, cLogC, cLogD, absKlTerms }) {
  return {
    entropy: Math.abs(cLogC) / sp + Math.abs(Math.log(sp)) + 1,
    crossEntropy: Math.abs(cLogD) / sp + Math.abs(Math.log(sq)) + 1,
    klDivergence: absKlTerms / sp + Math.abs(Math.log(sq / sp)) + 1,
  };
}

/**
 * The scale S of docs/discrete.md's bounds (1e-14·S for every measure) for distributions p and q
 * (already normalised): 1 + Σ of each term's absolute value (KL: p ln(p / clip(q, eps, 1)); JS: its
 * two halves ½ p ln(2p / (p + q)) and ½ q ln(2q / (p + q)), which can have either sign). A sum
 * split into shards that are each within 1e-14 of their own scale is within 1e-14·S in all; the
 * one-shot call is too, so the two differ by at most 2e-14·S.
 */
export function termScales(p, q, eps = 1e-15) {
  let h = 0, ce = 0, kl = 0, js = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i], y = q[i], yc = Math.min(Math.max(y, eps), 1), m = (x + y) / 2;
    if (x > 0) {
      h += Math.abs(x * Math.log(x));
      ce += Math.abs(x * Math.log(yc));
      kl += Math.abs(x * Math.log(x / yc));
      js += Math.abs(0.5 * x * Math.log(x / m));
    }
    if (y > 0) js += Math.abs(0.5 * y * Math.log(y / m));
  }
  return { entropy: 1 + h, crossEntropy: 1 + ce, klDivergence: 1 + kl, jensenShannon: 1 + js };
}

/**
 * Counts of (a, b) pairs from any number of shards, as rows { a, b, count } (labels are any
 * numbers; count may be a bigint, as DuckDB's count(*) is), merged into one dense row-major
 * contingency table over the labels present, each side in increasing order: what
 * contingencyTable(allA, allB) gives for the same data. Counts add, so the table does not depend
 * on how the rows were split.
 */
export function mergeContingency(rowsOfShards) {
  const counts = new Map(), as = new Set(), bs = new Set();
  for (const rows of rowsOfShards) {
    for (const { a, b, count } of rows) {
      const key = `${a}\u0000${b}`;
      counts.set(key, (counts.get(key) ?? 0) + Number(count));
      as.add(Number(a));
      bs.add(Number(b));
    }
  }
  const rowLabels = [...as].sort((x, y) => x - y), colLabels = [...bs].sort((x, y) => x - y);
  const colOf = new Map(colLabels.map((b, j) => [b, j]));
  const cols = colLabels.length, table = new Float64Array(rowLabels.length * cols);
  rowLabels.forEach((a, i) => {
    for (const b of colLabels) table[i * cols + colOf.get(b)] = counts.get(`${a}\u0000${b}`) ?? 0;
  });
  return { counts: table, rows: rowLabels.length, cols, rowLabels, colLabels };
}

/** Throws a RangeError naming `fn` unless both histograms have the same edges, bit for bit (as merge requires). */
function sameEdges(fn, hu, hv) {
  const a = Array.from(hu.edges), b = Array.from(hv.edges);
  if (a.length !== b.length || a.some((e, i) => !Object.is(e, b[i]))) throw new RangeError(`${fn}: the histograms have different edges`);
}

/**
 * The two-sample Kolmogorov–Smirnov statistic from two histograms (Histogram objects or their
 * JSON) on the same edges, merged from any shards. Only the empirical CDFs' left limits at the
 * edges are known (U_i = (under + counts before bin i) / n), so the statistic is bracketed:
 *   statistic ≤ D ≤ statistic + slack,   slack = max over bins of max(count_u / n_u, count_v / n_v)
 * (inside bin i, F_u moves by at most u's share of the bin, so F_u − F_v can exceed its value at
 * an edge by at most the larger share; under and over count as bins below and above the edges).
 * D is ksTest(u, v).statistic on the raw samples. Fine edges over the data's range make slack
 * small: about 1 / bins for equal-frequency edges.
 */
export function ksFromHistograms(hu, hv) {
  sameEdges("ksFromHistograms", hu, hv);
  const cu = Array.from(hu.counts), cv = Array.from(hv.counts);
  const nu = hu.under + hu.over + cu.reduce((s, x) => s + x, 0);
  const nv = hv.under + hv.over + cv.reduce((s, x) => s + x, 0);
  const binsU = [hu.under, ...cu, hu.over], binsV = [hv.under, ...cv, hv.over];
  let U = 0, V = 0, statistic = 0, slack = 0;
  for (let i = 0; i < binsU.length; i++) {
    U += binsU[i];
    V += binsV[i];
    statistic = Math.max(statistic, Math.abs(U / nu - V / nv));
    slack = Math.max(slack, binsU[i] / nu, binsV[i] / nv);
  }
  return { statistic, slack, low: statistic, high: Math.min(1, statistic + slack) };
}

/**
 * W1 between two histograms on the same edges: kl-wasm's wasserstein1 of the bin midpoints
 * weighted by the counts (scipy.stats.wasserstein_distance with weights). Every sample inside
 * the edges is at most half its bin's width from its midpoint, so the result is within
 * maxWidth of wasserstein1 of the raw samples (W1(u, ū) ≤ maxWidth / 2 for each side, and the
 * triangle inequality). Samples outside the edges have no midpoint: the histograms must have
 * under = over = 0 (edges over the data's global min and max, which merge as min of mins and
 * max of maxes), or this throws.
 */
export function wasserstein1FromHistograms(hu, hv) {
  sameEdges("wasserstein1FromHistograms", hu, hv);
  if (hu.under + hu.over + hv.under + hv.over > 0) {
    throw new RangeError("wasserstein1FromHistograms: samples outside the edges (use edges over the global min and max)");
  }
  const e = Array.from(hu.edges), mid = new Float64Array(e.length - 1);
  let maxWidth = 0;
  for (let i = 0; i < mid.length; i++) {
    mid[i] = e[i] + (e[i + 1] - e[i]) / 2;
    maxWidth = Math.max(maxWidth, e[i + 1] - e[i]);
  }
  const value = wasserstein1(mid, mid, { uWeights: hu.counts, vWeights: hv.counts });
  return { value, maxWidth };
}
