// kl-wasm/distributions: constructors' checks (TypeError for non-numbers, RangeError naming the parameter
// or index), hostile inputs (plain arrays with non-numbers, typed arrays of every kind, float32, huge and
// subnormal values), klDivergenceOf's errors, and properties that hold exactly (KL(p, p) = 0, KL >= 0,
// identities between families, gaussianKL's bits).
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import * as D from "../src/distributions.js";
import { gaussianKL, gaussianKLDiag } from "../src/fit.js";
import { polluted } from "./helpers/pollution.js";
import { binomialEntropy, poissonEntropy } from "../src/distributions/entropy.js";
import { rng } from "./helpers/random.js";
import type { Distribution } from "../src/distributions.js";
import * as R from "../src/reference.js";
import * as S from "../src/core/special.js";

const bad = (f: () => unknown, type: typeof TypeError | typeof RangeError, message: string) =>
  expect(f).toThrow(new type(message));

describe("constructors: parameter checks", () => {
  it("scalars: TypeError for non-numbers, RangeError naming the parameter", () => {
    bad(() => D.normal("0" as unknown as number, 1), TypeError, "normal: mu must be a number, got string");
    bad(() => D.normal(0, null as unknown as number), TypeError, "normal: sigma must be a number, got null");
    bad(() => D.normal(NaN, 1), RangeError, "normal: mu must be a finite number, got NaN");
    bad(() => D.normal(0, 0), RangeError, "normal: sigma must be a finite number > 0, got 0");
    bad(() => D.normal(0, -1), RangeError, "normal: sigma must be a finite number > 0, got -1");
    bad(() => D.normal(0, Infinity), RangeError, "normal: sigma must be a finite number > 0, got Infinity");
    bad(() => D.logNormal(Infinity, 1), RangeError, "logNormal: mu must be a finite number, got Infinity");
    bad(() => D.bernoulli(1.5), RangeError, "bernoulli: p must be a probability in [0, 1], got 1.5");
    bad(() => D.bernoulli(NaN), RangeError, "bernoulli: p must be a probability in [0, 1], got NaN");
    bad(() => D.binomial(2.5, 0.5), RangeError, "binomial: n must be an integer >= 0 (at most 2^53 - 1), got 2.5");
    bad(() => D.binomial(-1, 0.5), RangeError, "binomial: n must be an integer >= 0 (at most 2^53 - 1), got -1");
    bad(() => D.binomial("3" as unknown as number, 0.5), TypeError, "binomial: n must be a number, got string");
    bad(() => D.geometric(0), RangeError, "geometric: p must be in (0, 1], got 0");
    bad(() => D.poisson(0), RangeError, "poisson: rate must be a finite number > 0, got 0");
    bad(() => D.exponential(-2), RangeError, "exponential: rate must be a finite number > 0, got -2");
    bad(() => D.gamma(1, 0), RangeError, "gamma: rate must be a finite number > 0, got 0");
    bad(() => D.gamma(0, 1), RangeError, "gamma: shape must be a finite number > 0, got 0");
    bad(() => D.beta(1, NaN), RangeError, "beta: b must be a finite number > 0, got NaN");
    bad(() => D.laplace(0, -0), RangeError, "laplace: scale must be a finite number > 0, got 0");
    bad(() => D.uniform(1, 1), RangeError, "uniform: low must be < high, got low = 1, high = 1");
    bad(() => D.uniform(2, 1), RangeError, "uniform: low must be < high, got low = 2, high = 1");
    bad(() => D.uniform(0, NaN), RangeError, "uniform: high must be a finite number, got NaN");
    bad(() => D.gumbel(0, undefined as unknown as number), TypeError, "gumbel: scale must be a number, got undefined");
    bad(() => D.normal(0n as unknown as number, 1), TypeError, "normal: mu must be a number, got bigint");
  });

  it("vectors: index named, plain arrays and typed arrays of every kind", () => {
    bad(() => D.categorical([0.5, "0.5"] as unknown as number[]), TypeError, "categorical: probs[1] is not a number (string)");
    bad(() => D.categorical([0.5, null] as unknown as number[]), TypeError, "categorical: probs[1] is not a number (null)");
    bad(() => D.categorical([0.5, NaN]), RangeError, "categorical: probs[1] must be finite and >= 0, got NaN");
    bad(() => D.categorical([0.5, -0.5]), RangeError, "categorical: probs[1] must be finite and >= 0, got -0.5");
    bad(() => D.categorical(new Float64Array([1, Infinity])), RangeError, "categorical: probs[1] must be finite and >= 0, got Infinity");
    bad(() => D.categorical([0, 0]), RangeError, "categorical: probs sum to 0");
    bad(() => D.categorical([]), RangeError, "categorical: probs is empty");
    bad(() => D.categorical("ab" as unknown as number[]), TypeError, "categorical: probs must be a Float64Array, Float32Array or number[], got string");
    bad(() => D.categorical(new BigInt64Array(2) as unknown as number[]), TypeError, "categorical: probs must be a Float64Array, Float32Array or number[], got BigInt64Array");
    bad(() => D.dirichlet([1, 0]), RangeError, "dirichlet: alpha[1] must be finite and > 0, got 0");
    bad(() => D.dirichlet([1, undefined] as unknown as number[]), TypeError, "dirichlet: alpha[1] is not a number (undefined)");
    // counts, float32 and integer typed arrays: normalised like torch
    const want = D.categorical([0.25, 0.75]).probs;
    for (const x of [[1, 3], new Float32Array([1, 3]), new Int32Array([1, 3]), new Uint8Array([1, 3]), new Float64Array([2, 6])]) {
      expect(Array.from(D.categorical(x as number[]).probs)).toEqual(Array.from(want));
    }
    // a sum past the double range, subnormal weights
    expect(Array.from(D.categorical([1e308, 1e308, 1e308]).probs)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(Array.from(D.categorical([5e-324, 5e-324]).probs)).toEqual([0.5, 0.5]);
    // the input is copied: changing it later changes nothing
    const w = [1, 1];
    const c = D.categorical(w);
    w[0] = 100;
    expect(Array.from(c.probs)).toEqual([0.5, 0.5]);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("multivariateNormal: options, shapes, symmetry, positive definiteness", () => {
    const mvn = D.multivariateNormal;
    bad(() => mvn([0, 0], {} as never), TypeError, "multivariateNormal: give exactly one of cov and scaleTril, got neither");
    // @ts-expect-error: both options (MultivariateNormalOptions is an exclusive union)
    bad(() => mvn([0, 0], { cov: [[1, 0], [0, 1]], scaleTril: [[1, 0], [0, 1]] }), TypeError, "multivariateNormal: give exactly one of cov and scaleTril, got both");
    const both = { cov: [[1]], scaleTril: [[1]] };
    // @ts-expect-error: both options, from a variable too
    bad(() => mvn([0], both), TypeError, "multivariateNormal: give exactly one of cov and scaleTril, got both");
    bad(() => mvn([0, 0], { covariance: [] } as never), TypeError, "multivariateNormal: unknown option 'covariance'");
    expect(Array.from(mvn([0], { cov: [[4]], scaleTril: undefined } as never).scaleTril)).toEqual([2]);
    bad(() => mvn([0, 0], null as never), TypeError, "multivariateNormal: options must be { cov } or { scaleTril }");
    bad(() => mvn([0, 0], { cov: [[1, 0], [0, 1], [0, 0]] }), RangeError, "multivariateNormal: cov must be 2 x 2 (the mean's length), got 3 rows");
    bad(() => mvn([0, 0], { cov: [[1, 0], [0]] }), RangeError, "multivariateNormal: cov[1] must have 2 values, got 1");
    bad(() => mvn([0, 0], { cov: [1, 0, 0] }), RangeError, "multivariateNormal: cov must have 2 x 2 = 4 values (row-major), got 3");
    bad(() => mvn([0, 0], { cov: [[1, 0.5], [0.4, 1]] }), RangeError, "multivariateNormal: cov must be symmetric, but cov[1][0] = 0.4 and cov[0][1] = 0.5");
    bad(() => mvn([0, 0], { cov: [[1, 2], [2, 1]] }), RangeError, "multivariateNormal: cov is not positive definite (Cholesky pivot 1 is -3)");
    bad(() => mvn([0, 0], { cov: [[0, 0], [0, 1]] }), RangeError, "multivariateNormal: cov is not positive definite (Cholesky pivot 0 is 0)");
    bad(() => mvn([0, 0], { cov: [[1, 0], [0, NaN]] }), RangeError, "multivariateNormal: cov[3] must be finite, got NaN");
    bad(() => mvn([0, 0], { scaleTril: [[1, 0.5], [0, 1]] }), RangeError, "multivariateNormal: scaleTril must be lower triangular, but scaleTril[0][1] is 0.5");
    bad(() => mvn([0, 0], { scaleTril: [[1, 0], [0.5, -1]] }), RangeError, "multivariateNormal: scaleTril[1][1] must be > 0, got -1");
    bad(() => mvn([0, "x"] as unknown as number[], { cov: [[1, 0], [0, 1]] }), TypeError, "multivariateNormal: mean[1] is not a number (string)");
    // rows, flat vectors, typed arrays and a Float32Array mean: the same distribution
    const a = mvn([1, 2], { cov: [[4, 2], [2, 3]] });
    const b = mvn(new Float32Array([1, 2]), { cov: new Float64Array([4, 2, 2, 3]) });
    const c = mvn([1, 2], { scaleTril: [[2, 0], [1, Math.SQRT2]] });
    expect(Array.from(b.scaleTril)).toEqual(Array.from(a.scaleTril));
    expect(D.klDivergenceOf(a, b)).toBe(0);
    expect(D.klDivergenceOf(a, c)).toBeLessThan(1e-15);
  });

  it("inherited keys on Object.prototype change nothing", () => {
    const m = polluted({ cov: [[9]], scaleTril: [[9]], family: "normal" }, () => D.multivariateNormal([0], { cov: [[4]] }));
    expect(Array.from(m.scaleTril)).toEqual([2]);
    expect(polluted({ family: "poisson" }, () => D.klDivergenceOf(D.normal(0, 1), D.normal(1, 1)))).toBe(0.5);
  });
});

describe("lgamma, digamma, lbeta as exported: a TypeError naming the function for a non-number", () => {
  it("non-numbers throw, in both entries; numbers (NaN and the poles too) give the internal functions' bits", () => {
    for (const api of [D, R]) {
      bad(() => api.lgamma("3" as never), TypeError, "lgamma: x must be a number, got string");
      bad(() => api.lgamma(3n as never), TypeError, "lgamma: x must be a number, got bigint");
      bad(() => api.lgamma(new Number(3) as never), TypeError, "lgamma: x must be a number, got object");
      bad(() => api.digamma(null as never), TypeError, "digamma: x must be a number, got null");
      bad(() => (api.digamma as () => number)(), TypeError, "digamma: x must be a number, got undefined");
      bad(() => (api.lbeta as (a: number) => number)(1), TypeError, "lbeta: b must be a number, got undefined");
      bad(() => api.lbeta([1] as never, 2), TypeError, "lbeta: a must be a number, got object");
      const xs = [NaN, 0, -0, -1, -2.5, 1e-300, 0.5, 1, 1.4616321449683622, 2, 3, 9.99, 10, 1e17, 1e306, Infinity, -Infinity];
      for (const x of xs) {
        expect(Object.is(api.lgamma(x), S.lgamma(x))).toBe(true);
        expect(Object.is(api.digamma(x), S.digamma(x))).toBe(true);
        for (const y of xs) expect(Object.is(api.lbeta(x, y), S.lbeta(x, y))).toBe(true);
      }
    }
    expect([D.lgamma(NaN), D.digamma(NaN), D.lbeta(NaN, 1), D.lbeta(-1, 2)]).toEqual([NaN, NaN, NaN, NaN]);
    expect([D.lgamma(3), D.lgamma(0), D.digamma(0), D.digamma(-0), D.lbeta(0, 1), D.lbeta(2, Infinity)])
      .toEqual([Math.LN2, Infinity, -Infinity, Infinity, Infinity, -Infinity]);
  });
});

describe("klDivergenceOf and entropyOf: errors", () => {
  it("TypeError for things that are not distributions", () => {
    const msg = (name: string, got: string) => `klDivergenceOf: ${name} must be a distribution made by this module's constructors (normal(...), gamma(...), ...), got ${got}`;
    bad(() => D.klDivergenceOf({ family: "normal", mu: 0, sigma: 1 } as never, D.normal(0, 1)), TypeError, msg("p", "an object (Object)"));
    bad(() => D.klDivergenceOf(D.normal(0, 1), null as never), TypeError, msg("q", "null"));
    bad(() => D.klDivergenceOf(D.normal(0, 1), Object.freeze({ family: "cauchy" }) as never), TypeError, msg("q", "an object (Object)"));
    bad(() => D.entropyOf(3 as never), TypeError, "entropyOf: d must be a distribution made by this module's constructors (normal(...), gamma(...), ...), got 3");
  });

  it("only values the constructors made: hand-made frozen objects, spread and structuredClone copies are TypeErrors", () => {
    const msg = (fn: string, name: string) => `${fn}: ${name} must be a distribution made by this module's constructors (normal(...), gamma(...), ...), got an object (Object)`;
    const n = D.normal(0, 1);
    // frozen, a known family, a bad parameter: never NaN, a TypeError
    const fake = Object.freeze({ family: "normal", mu: 0, sigma: -1 }) as unknown as Distribution;
    bad(() => D.klDivergenceOf(fake, n), TypeError, msg("klDivergenceOf", "p"));
    bad(() => D.klDivergenceOf(n, fake), TypeError, msg("klDivergenceOf", "q"));
    bad(() => D.entropyOf(Object.freeze({ family: "gamma", shape: -1, rate: 0 }) as never), TypeError, msg("entropyOf", "d"));
    bad(() => R.entropyOf(fake), TypeError, msg("entropyOf", "d"));
    // copies of real values, even with the same parameters, frozen again
    for (const d of [n, D.categorical([1, 3]), D.dirichlet([1, 2]), D.multivariateNormal([0], { cov: [[1]] })]) {
      bad(() => D.entropyOf(Object.freeze({ ...d })), TypeError, msg("entropyOf", "d"));
      bad(() => D.entropyOf(structuredClone(d)), TypeError, msg("entropyOf", "d"));
      bad(() => D.klDivergenceOf(d, Object.create(d) as Distribution), TypeError, msg("klDivergenceOf", "q"));
    }
    // the values themselves: either entry (kl-wasm/reference re-exports this module)
    expect(R.klDivergenceOf(n, D.normal(1, 1))).toBe(0.5);
    expect(D.entropyOf(R.normal(0, 1))).toBe(R.entropyOf(n));
  });

  it("vectors cannot change after the check: probs, alpha, mean, scaleTril are frozen arrays", () => {
    // a categorical whose weights already sum to 1 (its probs and weights were once one shared array)
    for (const w of [[1, 3], [0.25, 0.75]]) {
      const c = D.categorical(w), u = D.categorical([1, 1]);
      const h = D.entropyOf(c), k = D.klDivergenceOf(c, u), k2 = D.klDivergenceOf(u, c);
      expect(Object.isFrozen(c.probs)).toBe(true);
      expect(() => { (c.probs as number[])[0] = 99; }).toThrow(TypeError); // strict code: the write throws
      expect(() => { (c.probs as number[]).push(1); }).toThrow(TypeError);
      expect(c.probs).toEqual([0.25, 0.75]);
      expect([D.entropyOf(c), D.klDivergenceOf(c, u), D.klDivergenceOf(u, c)]).toEqual([h, k, k2]);
    }
    const d = D.dirichlet([1, 3]), hd = D.entropyOf(d);
    expect(() => { (d.alpha as number[])[0] = 1e6; }).toThrow(TypeError);
    expect([d.alpha, D.entropyOf(d)]).toEqual([[1, 3], hd]);
    const m = D.multivariateNormal([1, 2], { cov: [[4, 2], [2, 3]] }), hm = D.entropyOf(m), z = D.multivariateNormal([0, 0], { cov: [[1, 0], [0, 1]] });
    const km = D.klDivergenceOf(m, z);
    expect(() => { (m.scaleTril as number[])[0] = -5; }).toThrow(TypeError);
    expect(() => { (m.mean as number[])[1] = 7; }).toThrow(TypeError);
    expect([m.mean, m.scaleTril, m.n]).toEqual([[1, 2], [2, 0, 1, Math.SQRT2], 2]);
    expect([D.entropyOf(m), D.klDivergenceOf(m, z)]).toEqual([hm, km]);
    // reads are stable: the same array each time (scaleTril made on its first read, an enumerable getter)
    expect(m.scaleTril).toBe(m.scaleTril);
    expect(Object.isFrozen(m.scaleTril)).toBe(true);
    expect(JSON.parse(JSON.stringify(m))).toEqual({ family: "multivariateNormal", mean: [1, 2], n: 2, scaleTril: [2, 0, 1, Math.SQRT2] });
  });

  it("klPairs is frozen, and so is each pair", () => {
    const n = D.klPairs.length;
    expect(Object.isFrozen(D.klPairs)).toBe(true);
    expect(D.klPairs.every((pair) => Object.isFrozen(pair))).toBe(true);
    expect(() => { (D.klPairs as unknown[]).push(["normal", "poisson"]); }).toThrow(TypeError);
    expect(() => { (D.klPairs[0] as unknown as string[])[1] = "poisson"; }).toThrow(TypeError);
    expect([D.klPairs.length, D.klPairs[0]]).toEqual([n, ["normal", "normal"]]);
    expect(R.klPairs).toBe(D.klPairs);
  });

  it("shapes that do not match, and torch's binomial rule", () => {
    bad(() => D.klDivergenceOf(D.categorical([1, 2]), D.categorical([1, 2, 3])), RangeError, "klDivergenceOf: the categoricals have different numbers of categories (2 and 3)");
    bad(() => D.klDivergenceOf(D.dirichlet([1, 2]), D.dirichlet([1, 2, 3])), RangeError, "klDivergenceOf: the Dirichlets have different lengths (2 and 3)");
    bad(() => D.klDivergenceOf(D.multivariateNormal([0], { cov: [[1]] }), D.multivariateNormal([0, 0], { cov: [1, 0, 0, 1] })), RangeError,
      "klDivergenceOf: the multivariate normals have different dimensions (1 and 2)");
    bad(() => D.klDivergenceOf(D.binomial(3, 0.5), D.binomial(5, 0.5)), TypeError,
      "klDivergenceOf: no closed form for KL(binomial ‖ binomial) with p's n (3) < q's n (5) (torch: NotImplementedError)");
    expect(D.klDivergenceOf(D.binomial(5, 0.5), D.binomial(3, 0.5))).toBe(Infinity);
    expect(D.klDivergenceOf(D.binomial(0, 0.5), D.binomial(0, 0.2))).toBe(0);
  });

  it("support: +Infinity where q does not cover p", () => {
    expect(D.klDivergenceOf(D.normal(0, 1), D.exponential(1))).toBe(Infinity);
    expect(D.klDivergenceOf(D.uniform(-1, 1), D.gamma(2, 1))).toBe(Infinity);
    expect(D.klDivergenceOf(D.uniform(0, 1), D.uniform(0, 0.5))).toBe(Infinity);
    expect(D.klDivergenceOf(D.bernoulli(0.5), D.bernoulli(1))).toBe(Infinity);
    expect(D.klDivergenceOf(D.categorical([1, 1]), D.categorical([1, 0]))).toBe(Infinity);
    expect(D.klDivergenceOf(D.categorical([1, 0]), D.categorical([1, 1]))).toBe(Math.LN2);
    expect(D.klDivergenceOf(D.poisson(2), D.bernoulli(0.5))).toBe(Infinity);
  });
});

// ---------------------------------------------------------------------------------------------
// properties

const pos = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
const real = fc.double({ min: -1e3, max: 1e3, noNaN: true });
const prob = fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true });
const arbs: Record<string, fc.Arbitrary<Distribution>> = {
  normal: fc.tuple(real, pos).map(([a, b]) => D.normal(a, b)),
  logNormal: fc.tuple(real, pos).map(([a, b]) => D.logNormal(a, b)),
  bernoulli: prob.map((p) => D.bernoulli(p)),
  binomial: prob.map((p) => D.binomial(7, p)),
  geometric: prob.map((p) => D.geometric(p)),
  poisson: pos.map((r) => D.poisson(r)),
  exponential: pos.map((r) => D.exponential(r)),
  gamma: fc.tuple(pos, pos).map(([a, b]) => D.gamma(a, b)),
  beta: fc.tuple(pos, pos).map(([a, b]) => D.beta(a, b)),
  laplace: fc.tuple(real, pos).map(([a, b]) => D.laplace(a, b)),
  gumbel: fc.tuple(real, fc.double({ min: 1e-2, max: 1e2, noNaN: true })).map(([a, b]) => D.gumbel(a, b)),
  uniform: fc.tuple(real, pos).map(([a, w]) => D.uniform(a, a + w)),
  categorical: fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: 4, maxLength: 4 }).map((w) => D.categorical(w)),
  dirichlet: fc.array(pos, { minLength: 3, maxLength: 3 }).map((w) => D.dirichlet(w)),
  multivariateNormal: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 9, maxLength: 9 }).map((v) =>
    D.multivariateNormal([v[0], v[1]], { scaleTril: [[Math.abs(v[2]) + 0.1, 0], [v[3], Math.abs(v[4]) + 0.1]] })),
};

describe("properties", () => {
  for (const [fam, arb] of Object.entries(arbs)) {
    it(`${fam}: KL(p, p) = 0 exactly, KL(p, q) >= 0, finite entropy`, () => {
      fc.assert(fc.property(arb, arb, (p, q) => {
        expect(D.klDivergenceOf(p, p)).toBe(0);
        const v = D.klDivergenceOf(p, q);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(D.entropyOf(p))).toBe(true);
      }), { numRuns: 300 });
    });
  }

  it("edge parameters: KL(p, p) and the entropies of point masses are +0 (not -0)", () => {
    for (const d of [D.bernoulli(0), D.bernoulli(1), D.geometric(1), D.binomial(5, 0), D.binomial(5, 1), D.binomial(0, 0.3),
      D.categorical([0, 1, 0]), D.categorical([1e-300, 1]), D.poisson(1e-300), D.gamma(1e-300, 1), D.beta(1e-300, 1e300),
      D.dirichlet([1e-300, 1e300]), D.laplace(1e300, 1e-300), D.uniform(-1e308, 1e308), D.gumbel(-1e300, 1e-300),
      D.normal(1e300, 1e-300), D.multivariateNormal([1e300], { cov: [[1e-300]] })]) {
      expect(D.klDivergenceOf(d, d)).toBe(0);
    }
    for (const d of [D.bernoulli(0), D.bernoulli(1), D.geometric(1), D.binomial(5, 0), D.binomial(5, 1), D.categorical([0, 1, 0])]) {
      expect(D.entropyOf(d)).toBe(0);
    }
    expect(D.entropyOf(D.uniform(-1e308, 1e308))).toBe(Math.log(1e308) + Math.LN2);
  });

  it("identities: gaussianKL's bits, logNormal = normal, geometric = bernoulli / p, binomial = n bernoulli, exponential = gamma(1)", () => {
    fc.assert(fc.property(real, pos, real, pos, prob, prob, (m1, s1, m2, s2, p, q) => {
      expect(D.klDivergenceOf(D.normal(m1, s1), D.normal(m2, s2))).toBe(gaussianKL(m1, s1, m2, s2));
      expect(D.klDivergenceOf(D.logNormal(m1, s1), D.logNormal(m2, s2))).toBe(gaussianKL(m1, s1, m2, s2));
      const b = D.klDivergenceOf(D.bernoulli(p), D.bernoulli(q));
      expect(D.klDivergenceOf(D.geometric(p), D.geometric(q))).toBe(b / p);
      expect(D.klDivergenceOf(D.binomial(9, p), D.binomial(9, q))).toBe(9 * b);
      expect(D.klDivergenceOf(D.exponential(s1), D.exponential(s2))).toBe(D.klDivergenceOf(D.gamma(1, s1), D.gamma(1, s2)));
      // the diagonal multivariate normal is the sum of its dimensions (within a few ulp: summed in another order)
      const mvn = D.klDivergenceOf(D.multivariateNormal([m1, m2], { scaleTril: [[s1, 0], [0, s2]] }), D.multivariateNormal([m2, m1], { scaleTril: [[s2, 0], [0, s1]] }));
      const diag = gaussianKLDiag([m1, m2], [s1, s2], [m2, m1], [s2, s1]);
      expect(Math.abs(mvn - diag)).toBeLessThanOrEqual(1e-15 * diag + 4 * 2 ** -1074);
      // entropy of a 1-D multivariate normal = the normal's
      expect(Math.abs(D.entropyOf(D.multivariateNormal([m1], { cov: [[s1 * s1]] })) - D.entropyOf(D.normal(m1, s1)))).toBeLessThan(1e-15 * (1 + Math.abs(Math.log(s1))));
    }), { numRuns: 500 });
  });

  it("binomial and Poisson entropies: the sum over the support and its integral agree where both apply (sd 50 ... 3000)", () => {
    for (const [n, p] of [[1e4, 0.5], [1e7, 0.3], [4e7, 0.5], [1e9, 0.001]] as const) {
      const sum = binomialEntropy(n, p, false), integral = binomialEntropy(n, p, true);
      expect(Math.abs(sum - integral) / sum).toBeLessThan(1e-14);
    }
    for (const rate of [2500, 4e6, 9e6]) {
      expect(Math.abs(poissonEntropy(rate, false) - poissonEntropy(rate, true)) / poissonEntropy(rate, false)).toBeLessThan(1e-14);
    }
    // huge n and rates: the integral (a few thousand evaluations), against the asymptotic 1/2 log(2 pi e var)
    // (- 1/(12 rate) for the Poisson; the binomial's 1/n term vanishes at p = 1/2)
    for (const n of [1e9, 1e13, 1e15]) {
      const h = D.entropyOf(D.binomial(n, 0.5));
      expect(Math.abs(h - 0.5 * Math.log(2 * Math.PI * Math.E * n * 0.25)) / h).toBeLessThan(4e-15);
      const g = D.entropyOf(D.poisson(n));
      expect(Math.abs(g - 0.5 * Math.log(2 * Math.PI * Math.E * n) + 1 / (12 * n)) / g).toBeLessThan(4e-15);
    }
  });

  it("every registered pair over parameters from 1e-300 to 1e300: never NaN, never negative, never an error (entropies never NaN)", () => {
    const r = rng(Number(process.env.FUZZ_SEED ?? 7));
    const lu = (lo: number, hi: number) => 10 ** (lo + (hi - lo) * r());
    const sg = () => (r() < 0.5 ? -1 : 1);
    const make: Record<string, () => Distribution> = {
      normal: () => D.normal(r() < 0.3 ? 0 : sg() * lu(-300, 300), lu(-300, 300)),
      logNormal: () => D.logNormal(sg() * lu(-300, 300), lu(-300, 300)),
      multivariateNormal: () => D.multivariateNormal([sg() * lu(-100, 100), sg() * lu(-100, 100)],
        { scaleTril: [[lu(-100, 100), 0], [sg() * lu(-100, 100), lu(-100, 100)]] }),
      categorical: () => D.categorical([lu(-300, 300), lu(-300, 300), r() < 0.2 ? 0 : lu(-300, 300)]),
      bernoulli: () => D.bernoulli(r() < 0.1 ? 0 : r() < 0.1 ? 1 : lu(-300, 0)),
      binomial: () => D.binomial(5, r() < 0.1 ? 0 : lu(-300, 0)),
      geometric: () => D.geometric(lu(-300, 0)),
      poisson: () => D.poisson(lu(-300, 300)),
      exponential: () => D.exponential(lu(-300, 300)),
      gamma: () => D.gamma(lu(-300, 300), lu(-300, 300)),
      beta: () => D.beta(lu(-300, 300), lu(-300, 300)),
      dirichlet: () => D.dirichlet([lu(-300, 300), lu(-300, 300), lu(-300, 300)]),
      laplace: () => D.laplace(sg() * lu(-300, 300), lu(-300, 300)),
      uniform: () => { const l = r() < 0.5 ? lu(-300, 0) : sg() * lu(-300, 300), h = l + lu(-300, 300); return D.uniform(l, h > l ? h : l + Math.abs(l) * 1e-10 + 1e-300); },
      gumbel: () => D.gumbel(sg() * lu(-300, 300), lu(-300, 300)),
    };
    const bad: string[] = [];
    const show = (d: Distribution) => JSON.stringify(d, (_, x) => (x instanceof Float64Array ? Array.from(x) : x));
    for (const [a, b] of D.klPairs) {
      for (let i = 0; i < 300; i++) {
        const p = make[a](), q = make[b]();
        const v = D.klDivergenceOf(p, q);
        if (!(v >= 0)) bad.push(`KL(${show(p)} ‖ ${show(q)}) = ${v}`);
      }
    }
    for (const f of Object.keys(make)) {
      for (let i = 0; i < 300; i++) { const d = make[f](), h = D.entropyOf(d); if (Number.isNaN(h)) bad.push(`entropyOf(${show(d)}) = NaN`); }
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it("far apart, no overflow; nearly equal, the tiny true value", () => {
    expect(D.klDivergenceOf(D.normal(0, 1), D.normal(0, 1e16))).toBe(gaussianKL(0, 1, 0, 1e16));
    expect(Math.abs(D.klDivergenceOf(D.normal(0, 1), D.normal(0, 1e16)) - 36.341361487904734)).toBeLessThan(1e-14);
    // KL(Exp(1) || Exp(1 + d)) = KL(Poisson(1) || Poisson(1 + d)) = d - log1p(d) = d^2/2 - d^3/3 + d^4/4 - ...
    const d = 2 ** -40, want = d * d / 2 - d ** 3 / 3 + d ** 4 / 4;
    expect(Math.abs(D.klDivergenceOf(D.exponential(1), D.exponential(1 + d)) / want - 1)).toBeLessThan(1e-15);
    expect(Math.abs(D.klDivergenceOf(D.poisson(1), D.poisson(1 + d)) / want - 1)).toBeLessThan(1e-15);
    expect(D.klDivergenceOf(D.laplace(0, 1e-300), D.laplace(1e10, 1))).toBeCloseTo(690.7755278982137 + 1e10 - 1, 0);
    expect(D.klDivergenceOf(D.uniform(-1e308, 1e308), D.uniform(-1.5e308, 1.5e308))).toBeCloseTo(Math.log(1.5), 15);
  });
});
