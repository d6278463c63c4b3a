/**
 * The relaxed-SIMD build of the kernels (fused multiply-add; results may differ
 * in the last bits between CPUs). Opt in explicitly:
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Wasm } from 'gradtrace'
 * import { relaxedWasm } from 'gradtrace/relaxed'
 * const rt = await Wasm.load({ wasm: relaxedWasm, relaxed: true }) // falls back, with a notice, where unsupported
 * assert.ok(E.isRight(rt))
 * assert.ok(rt.right.relaxed || rt.right.notice !== undefined)
 *
 * @since 0.1.0
 */
import b64 from '../../build/gradtrace.relaxed.wasm'
import { fromBase64 } from '../wasm/base64'

/** @since 0.1.0 */
export const relaxedWasm: Uint8Array = fromBase64(b64)
