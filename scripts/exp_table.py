"""Constants for the vectorised exp in assembly/vecmath.ts.

exp(x) = 2^(k/128) * exp(r), k = round(x * 128 / ln 2), r = x - k ln2/128, |r| <= ln2/256.
2^(j/128), j = 0..127, is stored as a double-double (hi, lo) so the table adds no
rounding of its own; exp(r) - 1 is the Taylor polynomial r + r^2/2 + ... + r^5/120
(the next term is below 5.4e-19 relative). ln2/128 is split so that k * hi is exact
for |k| < 2^18. Run: python3 scripts/exp_table.py
"""
from decimal import Decimal as D, getcontext
getcontext().prec = 60
LN2 = D(2).ln()
rows = []
for j in range(128):
    v = D(2) ** (D(j) / 128)
    hi = float(v)
    lo = float(v - D(hi))
    rows.append((hi, lo))
step = LN2 / 128
# hi with its low bits cleared: 53 - 18 = 35 significant bits
import struct
bits = struct.unpack("<Q", struct.pack("<d", float(step)))[0] & ~((1 << 18) - 1)
hi = struct.unpack("<d", struct.pack("<Q", bits))[0]
lo = float(step - D(hi))
print(f"// ln2/128 = EXP_LN2_HI + EXP_LN2_LO; k * EXP_LN2_HI is exact for |k| < 2^18")
print(f"const EXP_LN2_HI: f64 = {hi!r};")
print(f"const EXP_LN2_LO: f64 = {lo!r};")
print(f"const EXP_INV_STEP: f64 = {float(128 / LN2)!r};")
print("// 2^(j/128) as (hi, lo) pairs, j = 0..127")
print("const EXP_TABLE: StaticArray<f64> = [")
for j in range(0, 128, 2):
    a, b = rows[j], rows[j + 1]
    print(f"  {a[0]!r}, {a[1]!r}, {b[0]!r}, {b[1]!r},")
print("];")
