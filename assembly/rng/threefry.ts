// Threefry-2x32 with 20 rounds (Salmon, Moraes, Dror, Shaw, "Parallel random numbers:
// as easy as 1, 2, 3", SC 2011; the Random123 and JAX construction), one block of two
// 32-bit words from a key (k0, k1) and a counter (c0, c1):
//
//   ks = (k0, k1, k0 ^ k1 ^ 0x1BD11BDA);  x0 = c0 + ks0;  x1 = c1 + ks1
//   round r = 0..19:  x0 += x1;  x1 = rotl(x1, R[r mod 8]) ^ x0
//                     R = 13, 15, 26, 6, 17, 29, 16, 24
//   after round 4s - 1 (s = 1..5):  x0 += ks[s mod 3];  x1 += ks[(s + 1) mod 3] + s
//
// All arithmetic mod 2^32. threefry1 returns both words packed as x0 | x1 << 32;
// threefry4 runs four counters (c0 + 0..3, c1 = 0) in i32x4 lanes with the same
// operations, so a SIMD lane and the scalar block give identical words.
// The TypeScript twin is `threefry2x32` in src/core/Key.ts (Math.imul-free, >>> 0).
// Known answers (Random123 kat_vectors), checked in test/assembly/rng.test.ts:
//   key (0, 0), ctr (0, 0)                          -> 0x6b200159 0x99ba4efe
//   key (~0, ~0), ctr (~0, ~0)                      -> 0x1cb996fc 0xbb002be7
//   key (0x13198a2e, 0x03707344), ctr (0x243f6a88, 0x85a308d3) -> 0xc4923a9c 0x483df7a0

export const PARITY: u32 = 0x1bd11bda;

/** One block: x0 in the low word, x1 in the high word. */
// @ts-ignore: decorator
@inline export function threefry1(k0: u32, k1: u32, c0: u32, c1: u32): u64 {
  let ka = k1, kb = k0 ^ k1 ^ PARITY, kc = k0; // ks[s mod 3], ks[(s+1) mod 3] for s = 1
  let x0 = c0 + k0, x1 = c1 + k1;
  // rounds 0-15 in two-quad steps (constant rotations), then rounds 16-19
  for (let s: u32 = 1; s < 5; s += 2) {
    x0 += x1; x1 = rotl<u32>(x1, 13) ^ x0;
    x0 += x1; x1 = rotl<u32>(x1, 15) ^ x0;
    x0 += x1; x1 = rotl<u32>(x1, 26) ^ x0;
    x0 += x1; x1 = rotl<u32>(x1, 6) ^ x0;
    x0 += ka; x1 += kb + s;
    x0 += x1; x1 = rotl<u32>(x1, 17) ^ x0;
    x0 += x1; x1 = rotl<u32>(x1, 29) ^ x0;
    x0 += x1; x1 = rotl<u32>(x1, 16) ^ x0;
    x0 += x1; x1 = rotl<u32>(x1, 24) ^ x0;
    x0 += kb; x1 += kc + s + 1;
    const t = ka; ka = kc; kc = kb; kb = t; // advance the schedule by two
  }
  x0 += x1; x1 = rotl<u32>(x1, 13) ^ x0;
  x0 += x1; x1 = rotl<u32>(x1, 15) ^ x0;
  x0 += x1; x1 = rotl<u32>(x1, 26) ^ x0;
  x0 += x1; x1 = rotl<u32>(x1, 6) ^ x0;
  x0 += ka; x1 += kb + 5;
  return <u64>x0 | (<u64>x1 << 32);
}

// @ts-ignore: decorator
@inline function rotl4(x: v128, r: i32): v128 {
  return v128.or(i32x4.shl(x, r), i32x4.shr_u(x, 32 - r));
}

/**
 * Four blocks with counters (vc0, 0): returns their x0 words; stores their x1 words at
 * `p1` unless p1 is 0 (a constant after inlining, so the store then disappears).
 */
// @ts-ignore: decorator
@inline export function threefry4(vc0: v128, k0: u32, k1: u32, p1: usize): v128 {
  let vka = i32x4.splat(k1), vkb = i32x4.splat(k0 ^ k1 ^ PARITY), vkc = i32x4.splat(k0);
  let vx0 = i32x4.add(vc0, vkc), vx1 = vka;
  for (let s = 1; s < 5; s += 2) {
    vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 13), vx0);
    vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 15), vx0);
    vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 26), vx0);
    vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 6), vx0);
    vx0 = i32x4.add(vx0, vka); vx1 = i32x4.add(vx1, i32x4.add(vkb, i32x4.splat(s)));
    vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 17), vx0);
    vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 29), vx0);
    vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 16), vx0);
    vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 24), vx0);
    vx0 = i32x4.add(vx0, vkb); vx1 = i32x4.add(vx1, i32x4.add(vkc, i32x4.splat(s + 1)));
    const vt = vka; vka = vkc; vkc = vkb; vkb = vt;
  }
  vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 13), vx0);
  vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 15), vx0);
  vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 26), vx0);
  vx0 = i32x4.add(vx0, vx1); vx1 = v128.xor(rotl4(vx1, 6), vx0);
  vx0 = i32x4.add(vx0, vka); vx1 = i32x4.add(vx1, i32x4.add(vkb, i32x4.splat(5)));
  if (p1 != 0) v128.store(p1, vx1);
  return vx0;
}
