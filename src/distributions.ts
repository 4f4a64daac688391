// kl-wasm/distributions: closed-form KL divergence and entropy of parametric distributions (issue 16),
// for every pair of these families that torch.distributions.kl registers. Plain TypeScript: each
// value is a handful of scalar operations (no array to stream), so there is no WebAssembly module;
// kl-wasm/reference re-exports this same code. See docs/distributions.md.
import { checked, type Distribution } from "./distributions/constructors.js";
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
export { lgamma, digamma, lbeta } from "./core/special.js";

/**
 * KL(p ‖ q) in nats, in closed form, for every pair of families that torch.distributions.kl
 * registers (the list: `klPairs`; docs/distributions.md has the formulas). +Infinity where q
 * does not cover p's support (torch's infinite pairs, a uniform not contained in q's, a binomial
 * with more trials than q's, probabilities that q gives 0). Nearly equal distributions give the
 * tiny true value (same-family pairs are sums of non-negative terms), not rounding noise.
 * @throws TypeError if p or q was not made by this module's constructors, or the pair has no
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
 * @throws TypeError if d was not made by this module's constructors.
 */
export function entropyOf(d: Distribution): number {
  return entropyOfChecked(checked("entropyOf", "d", d));
}
