// What the transcendentals share: generic lane arithmetic, so a polynomial is
// written once for one f32 and for f32x4 lanes, and the constants used by more
// than one file. T is f32 or v128 (f32x4); `isVector<T>()` is resolved at
// compile time, so each instance is the plain scalar or SIMD code. Products and
// sums are separate operations (no FMA): both forms round alike.

// round-to-integer by adding 1.5 * 2^23: the low mantissa bits then hold n
export const MAGIC: f32 = 12582912.0;
export const MAGIC_BITS: i32 = 0x4b400000;
// ln 2 in two parts (Cephes): few bits in LN2_HI, so n * LN2_HI is exact
export const LN2_HI: f32 = 0.693359375;
export const LN2_LO: f32 = -2.12194440e-4;

/** c on one f32, or on every lane. */
// @ts-ignore: decorator
@inline export function splat<T>(c: f32): T {
  if (isVector<T>()) return <T>f32x4.splat(c);
  else return <T>c;
}

/** a + b */
// @ts-ignore: decorator
@inline export function add<T>(a: T, b: T): T {
  if (isVector<T>()) return <T>f32x4.add(<v128>a, <v128>b);
  else return <T>(<f32>a + <f32>b);
}

/** a - b */
// @ts-ignore: decorator
@inline export function sub<T>(a: T, b: T): T {
  if (isVector<T>()) return <T>f32x4.sub(<v128>a, <v128>b);
  else return <T>(<f32>a - <f32>b);
}

/** a * b */
// @ts-ignore: decorator
@inline export function mul<T>(a: T, b: T): T {
  if (isVector<T>()) return <T>f32x4.mul(<v128>a, <v128>b);
  else return <T>(<f32>a * <f32>b);
}

/** a * b + c (rounded twice) */
// @ts-ignore: decorator
@inline export function muladd<T>(a: T, b: T, c: T): T {
  if (isVector<T>()) return <T>f32x4.add(f32x4.mul(<v128>a, <v128>b), <v128>c);
  else return <T>(<f32>a * <f32>b + <f32>c);
}
