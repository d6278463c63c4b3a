// Module-level facts the loader needs: where free memory starts, and which
// build this is (1 for the relaxed-SIMD build, 0 for the portable one).

/** First byte after static data; the JS arena starts at or above it. */
export function heap_base(): usize {
  return __heap_base;
}

/** 1 in the relaxed-SIMD build, 0 in the release and debug builds. */
export function simd_relaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
