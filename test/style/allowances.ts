/**
 * Today's exceptions to the size limits (docs/design.md; issue 10, item 7). Each number
 * is the size measured when the budget test was written; the test fails when a
 * file or function grows past its number, and also when it has shrunk below
 * it, so that the number is lowered with the code (a ratchet: the lists only
 * shrink). Remove an entry once its file or function is within the limit.
 */

/** Generated files: exempt from the module limit, and from the line-length and function checks. */
export const generated: ReadonlyArray<string> = ['src/data/digits.generated.ts']

/** Files over their module limit (src/ 300 lines, assembly/ 200 lines): lines today. */
export const oversizeModules: Readonly<Record<string, number>> = {
  'assembly/recurrent/lstm.ts': 261,
}

/** Functions over 40 lines (`file name`, nested ones `outer/inner`): lines today. */
export const longFunctions: Readonly<Record<string, number>> = {
  'assembly/gemm/micro.ts micro4x8': 50,
  'assembly/gemm/small.ts tile8': 61,
  'assembly/loss/xent_soft.ts softmax_xent_soft_f32_simd': 45,
  'assembly/recurrent/gru.ts bwdRow': 43,
  'assembly/recurrent/lstm.ts bwdRow': 81,
  'assembly/recurrent/lstm.ts fwdRow': 69,
  'assembly/stats/moments.ts stats_f32_simd': 60,
  'src/layer/recurrent/lstm.ts emit': 45,
}

/** Files of src/ with lines over 160 characters: how many today. */
export const longLines: Readonly<Record<string, number>> = {
  'src/cli/runFile.ts': 2,
  'src/codec/checkpoint.ts': 1,
  'src/codec/checkpointChecks.ts': 1,
  'src/core/decoding.ts': 1,
  'src/codec/spec.ts': 1,
  'src/combinator/fan.ts': 1,
  'src/combinator/residual.ts': 1,
  'src/core/Error.ts': 2,
  'src/layer/activation.ts': 1,
  'src/layer/dense.ts': 1,
  'src/layer/norm.ts': 1,
  'src/layer/recurrent/common.ts': 1,
  'src/layer/recurrent/lstm.ts': 2,
  'src/layer/recurrent/rnn.ts': 1,
  'src/report/fromTraces.ts': 4,
  'src/report/heatmap.ts': 6,
  'src/report/html.ts': 4,
  'src/report/svg.ts': 3,
  'src/report/xy.ts': 1,
  'src/wasm/Runtime.ts': 3,
  'src/wasm/abi.ts': 4,
}
