// kl-wasm/distributions: closed-form KL divergence and entropy of parametric distributions (issue 16),
// for every pair of these families that torch.distributions.kl registers. Plain TypeScript: each
// value is a handful of scalar operations (no array to stream), so there is no WebAssembly module;
// kl-wasm/reference re-exports this same code. See docs/distributions.md.
import { checked, numberArg, type Distribution } from "./distributions/constructors.js";
import { lgamma as lgammaOf, digamma as digammaOf, lbeta as lbetaOf } from "./core/special.js";
import { klOfChecked } from "./distributions/kl.js";
import { entropyOfChecked } from "./distributions/entropy.js";

export {
  normal, logNormal, multivariateNormal, categorical, bernoulli, binomial, geometric, poisson, exponential, gamma,
  beta, dirichlet, laplace, uniform, gumbel,
} from "./distributions/constructors.js";
export type { Vector } from "./core/validate.js";
export type {
  Distribution, Family, Normal, LogNormal, MultivariateNormal, MultivariateNormalOptions, Categorical, Bernoulli,
  Binomial, Geometric, Poisson, Exponential, Gamma, Beta, Dirichlet, Laplace, Uniform, Gumbel,
} from "./distributions/constructors.js";
export { PAIRS as klPairs } from "./distributions/kl.js";

/**
 * KL(p ‖ q) in nats, in closed form, for every pair of families that torch.distributions.kl
 * registers (the list: `klPairs`; docs/distributions.md has the formulas). +Infinity where q
 * does not cover p's support (torch's infinite pairs, a uniform not contained in q's, a binomial
 * with more trials than q's, probabilities that q gives 0). Nearly equal distributions give the
 * tiny true value (same-family pairs are sums of non-negative terms), not rounding noise.
 * @throws TypeError if p or q was not made by this module's constructors (a hand-made object, even
 *   frozen, or a spread or structuredClone copy is not a distribution), or the pair has no
 *   closed form ("klDivergenceOf: no closed form for KL(poisson ‖ normal)"; also a binomial whose
 *   n is below q's, as torch). RangeError for categoricals or Dirichlets of different lengths,
 *   multivariate normals of different dimensions.
 */
export function klDivergenceOf(p: Distribution, q: Distribution): number {
  return klOfChecked(checked("klDivergenceOf", "p", p), checked("klDivergenceOf", "q", q));
}

/**
 * The entropy of d in nats: differential entropy for the continuous families (may be negative),
 * Shannon entropy for the discrete ones (binomial and Poisson by a sum over their support with
 * accurate log-probabilities; torch has no Poisson entropy).
 * @throws TypeError if d was not made by this module's constructors (a hand-made object or a copy).
 */
export function entropyOf(d: Distribution): number {
  return entropyOfChecked(checked("entropyOf", "d", d));
}

// The special functions, checked at the entry (the ones in src/core/special.ts, which the closed forms
// call, do not check: their callers pass numbers).

/**
 * log |Γ(x)| (torch.lgamma, scipy.special.gammaln), within 1e-15 relative for x > 0 (also next to
 * its zeros 1 and 2); x < 0 by reflection. +Infinity at 0, −0, the negative integers and ±Infinity;
 * NaN for NaN.
 * @throws TypeError if x is not a number ("lgamma: x must be a number, got string").
 */
export function lgamma(x: number): number {
  numberArg("lgamma", "x", x);
  return lgammaOf(x);
}

/**
 * The digamma function ψ(x) = d/dx log Γ(x) (torch.digamma, scipy.special.psi), within 1e-15 relative
 * for x > 0 (also next to its zero 1.4616…); x < 0 by reflection. −Infinity at +0, +Infinity at −0
 * and +Infinity; NaN at the negative integers, −Infinity and NaN.
 * @throws TypeError if x is not a number ("digamma: x must be a number, got null").
 */
export function digamma(x: number): number {
  numberArg("digamma", "x", x);
  return digammaOf(x);
}

/**
 * log B(a, b) = lgamma a + lgamma b − lgamma(a + b) for a, b > 0 (scipy.special.betaln), without the
 * cancellation of large lgammas: within 1e-15 max(1, |lbeta|) when max(a, b) ≥ 10. +Infinity when a
 * or b is 0 (the other ≥ 0), −Infinity when one is +Infinity (the other > 0), NaN when either is
 * negative or NaN.
 * @throws TypeError if a or b is not a number ("lbeta: b must be a number, got undefined").
 */
export function lbeta(a: number, b: number): number {
  numberArg("lbeta", "a", a);
  numberArg("lbeta", "b", b);
  return lbetaOf(a, b);
}
