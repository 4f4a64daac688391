// The asymptotic series of the digamma function, in a module of its own: src/core/special.ts builds digamma on
// it, and the k-NN estimators (src/mutual/api.ts) take psi of large integers from it without the rest of
// special.ts (the entries' split build would put the whole of special.ts into their shared chunk).

/** log x - 1/(2x) - psi(x) for x >= 10: sum B_2k / (2k x^2k), k = 1..8 (first omitted term < 4e-19 of psi);
 *  the large-argument entropies take it apart from the logs it would otherwise cancel against. */
export function digammaTail(x: number): number {
  const r = 1 / (x * x);
  return r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r * (1 / 132
    - r * (691 / 32760 - r * (1 / 12 - r * (3617 / 8160))))))));
}

/** psi(x) for x >= 10: log x - 1/(2x) - digammaTail(x) (also the k-NN estimators' psi of large integers). */
export function digammaAsymptotic(x: number): number {
  return Math.log(x) - 0.5 / x - digammaTail(x);
}
