// A double-double natural log: the oracle for ULP measurements (about 1e-30
// relative; checked against exact rational series in log.test.ts).
type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b, bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}
function split(a: number): DD {
  const c = 134217729 * a, hi = c - (c - a);
  return [hi, a - hi];
}
function twoProd(a: number, b: number): DD {
  const p = a * b, [ah, al] = split(a), [bh, bl] = split(b);
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}
function add(x: DD, y: DD): DD {
  const [s, e] = twoSum(x[0], y[0]);
  return twoSum(s, e + x[1] + y[1]);
}
function mul(x: DD, y: DD): DD {
  const [p, e] = twoProd(x[0], y[0]);
  return twoSum(p, e + x[0] * y[1] + x[1] * y[0]);
}
function div(x: DD, y: DD): DD {
  const q1 = x[0] / y[0];
  const r = add(x, mul([-q1, 0], y));
  const q2 = r[0] / y[0];
  const r2 = add(r, mul([-q2, 0], y));
  return add(twoSum(q1, q2), [r2[0] / y[0], 0]);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];
const bits = new Float64Array(1), words = new Uint32Array(bits.buffer);

/** log(x) as a double-double, for any positive finite x (subnormals included). */
export function logDD(x: number): DD {
  let k = 0;
  if (x < 2.2250738585072014e-308) { x *= 18446744073709551616; k = -64; }
  bits[0] = x;
  const e = ((words[1] >>> 20) & 0x7ff) - 1023;
  words[1] = (words[1] & 0x800fffff) | 0x3ff00000;
  let m = bits[0];
  k += e;
  if (m > Math.SQRT2) { m /= 2; k += 1; }
  const s = div([m - 1, 0], twoSum(m, 1));
  const t = mul(s, s);
  let term: DD = s, acc: DD = s;
  for (let j = 1; j < 30; j++) {
    term = mul(term, t);
    acc = add(acc, div(term, [2 * j + 1, 0]));
    if (Math.abs(term[0]) < 1e-34) break;
  }
  return add(mul([k, 0], LN2), mul([2, 0], acc));
}

/** Error of y in ulps of the correctly rounded value of the double-double t. */
export function ulpError(y: number, t: DD, precision = 53): number {
  const ref = t[0] + t[1];
  if (ref === 0) return y === 0 ? 0 : Infinity;
  const e = Math.floor(Math.log2(Math.abs(ref)));
  const ulp = Math.pow(2, Math.max(e, -1074 + (precision - 1)) - (precision - 1));
  return Math.abs((y - t[0]) - t[1]) / ulp;
}

/** exp(x) = 2^k (acc[0] + acc[1]) with acc a double-double: k = round(x / ln 2),
 *  r = x - k ln 2 in double-double (|r| <= 0.35), a Taylor series to 1e-33. */
function expParts(x: number): [number, DD] {
  const k = Math.round(x / LN2[0]);
  const r = add([x, 0], mul([-k, 0], LN2));
  let term: DD = [1, 0], acc: DD = [1, 0];
  for (let j = 1; j < 40; j++) {
    term = div(mul(term, r), [j, 0]);
    acc = add(acc, term);
    if (Math.abs(term[0]) < 1e-34) break;
  }
  return [k, acc];
}

/** exp(x) (as a double-double where that does not underflow). */
export function expDD(x: number): DD {
  const [k, acc] = expParts(x);
  const h = Math.trunc(k / 2), s1 = Math.pow(2, h), s2 = Math.pow(2, k - h);
  return [acc[0] * s1 * s2, acc[1] * s1 * s2];
}

/** Error of y as exp(x), in ulps, for normal results: y is scaled by 2^-k exactly
 *  and compared with the unscaled double-double, so no tail is lost near underflow. */
export function expUlpError(y: number, x: number): number {
  const [k, acc] = expParts(x);
  const h = Math.trunc(k / 2);
  return ulpError(y * Math.pow(2, -h) * Math.pow(2, h - k), acc);
}
