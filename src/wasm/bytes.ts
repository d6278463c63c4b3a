// The portable (non-relaxed) kernels, inlined as base64 by the bundler and
// decoded on first use. Nothing is decoded or compiled at import time.
import b64 from '../../build/gradtrace.wasm'
import { fromBase64 } from './base64'

let bytes: Uint8Array | undefined

/** The release `.wasm` (SIMD128, no relaxed SIMD), decoded once on first call. @since 0.1.0 */
export const defaultWasm = (): Uint8Array => (bytes ??= fromBase64(b64))
