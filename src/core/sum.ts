// Compensated (Neumaier) summation: the one accumulator every pure-TS sum uses.

/** s + c, unless s is infinite (then the compensation is NaN and s is the answer). */
export const total = (s: number, c: number): number => (Number.isFinite(s) ? s + c : s);

/** A Neumaier-compensated running sum (an infinite sum stays infinite, not NaN). */
export class Sum {
  s = -0;
  c = -0;
  add(v: number): void {
    const s = this.s, u = s + v;
    this.c += Math.abs(s) >= Math.abs(v) ? (s - u) + v : (v - u) + s;
    this.s = u;
  }
  get value(): number {
    return total(this.s, this.c);
  }
  reset(): this {
    this.s = 0;
    this.c = 0;
    return this;
  }
}

/** The Neumaier-compensated sum of xs. */
export function compensatedSum(xs: ArrayLike<number>): number {
  const acc = new Sum();
  for (let i = 0; i < xs.length; i++) acc.add(xs[i]);
  return acc.value;
}

/** Smallest positive normal numbers: below these the fast vector log needs the exact mode. */
export const MIN_NORMAL_F64 = 2.2250738585072014e-308;
export const MIN_NORMAL_F32 = 1.1754943508222875e-38;
