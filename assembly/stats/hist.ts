// Histogram of log10|x|, for the "full" trace level: where the magnitudes sit, in decades.
//
//   out is f64 (bins + 2), x is f32 (n,); counts are ADDED to out (accumulate over tensors).
//   width = (hi - lo) / bins;  l = log10|x|
//   slot 0          l < lo, and every exact zero (log10 0 = -Inf)
//   slot 1 + k      lo + k width <= l < lo + (k + 1) width,  k = 0 .. bins-1
//   slot bins + 1   l >= hi
//   NaN and +-Inf are not counted (stats_f32_* counts them).
// lo, hi are f64 in decades (e.g. -30, 10); bins >= 1; hi > lo. out must not overlap x.
// log10 from the bits: |x| is promoted to f64 (subnormal f32 become normal), split into
// 2^e m with m in [sqrt(1/2), sqrt(2)), and ln m = 2 atanh t, t = (m - 1) / (m + 1),
// |t| <= 0.172, by its odd series to t^11: absolute error below 1e-11 decades, so a value
// can land in a neighbouring bin only within 1e-11 of a bin edge.
// Scalar only: it runs at the "full" trace level, not every step. Bench: none yet.

const LOG10_2: f64 = 0.30102999566398119521;
const LOG10_E: f64 = 0.43429448190325182765;
const SQRT2: f64 = 1.41421356237309504880;

/** log10 of a finite, non-zero f32 magnitude. */
// @ts-ignore: decorator
@inline function log10abs(xi: f32): f64 {
  const b = reinterpret<u64>(<f64>Mathf.abs(xi));
  let e = <i32>(b >> 52) - 1023;
  let m = reinterpret<f64>((b & 0x000fffffffffffff) | 0x3ff0000000000000); // [1, 2)
  if (m > SQRT2) {
    m *= 0.5;
    e++;
  }
  const t = (m - 1) / (m + 1), t2 = t * t;
  const lnm = 2 * t * (1 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9 + t2 * (1.0 / 11))))));
  return <f64>e * LOG10_2 + lnm * LOG10_E;
}

export function log_hist_f32_scalar(out: usize, x: usize, n: i32, lo: f64, hi: f64, bins: i32): void {
  assert(n >= 0 && bins >= 1 && hi > lo && (out & 7) == 0 && (x & 3) == 0);
  const scale = <f64>bins / (hi - lo);
  const end = <usize>n << 2;
  for (let o: usize = 0; o < end; o += 4) {
    const xi = load<f32>(x + o);
    if (!(Mathf.abs(xi) < f32.POSITIVE_INFINITY)) continue; // NaN, +-Inf
    let slot = 0;
    if (xi != 0) {
      const l = log10abs(xi);
      if (l >= hi) slot = bins + 1;
      else if (l >= lo) slot = 1 + min(<i32>((l - lo) * scale), bins - 1);
    }
    const p = out + (<usize>slot << 3);
    store<f64>(p, load<f64>(p) + 1);
  }
}
