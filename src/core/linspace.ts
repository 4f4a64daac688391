// np.linspace's arithmetic (endpoint=True), the one copy: kl-wasm/fit's linspace and the
// drift family's edges both fill their arrays with it.

/**
 * Fills y with y.length values from start to stop as `np.linspace(start, stop, y.length)`
 * computes them, bit for bit: delta = stop - start, step = delta / (num - 1); y[i] = i * step
 * + start, or (i / (num - 1)) * delta + start where step is 0 (a subnormal delta: NumPy's
 * gh-5437 branch); the last value is stop. One value: 0 * delta + start (NaN when delta is
 * infinite, as in NumPy). An overflowing delta gives NaN and infinities, as NumPy does.
 */
export function linspaceInto(start: number, stop: number, y: Float64Array): Float64Array {
  const num = y.length, div = num - 1, delta = stop - start;
  if (div > 0) {
    const step = delta / div;
    if (step === 0) for (let i = 0; i < num; i++) y[i] = (i / div) * delta + start;
    else for (let i = 0; i < num; i++) y[i] = i * step + start;
    y[num - 1] = stop;
  } else if (num === 1) {
    y[0] = 0 * delta + start;
  }
  return y;
}
