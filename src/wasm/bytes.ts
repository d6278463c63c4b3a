// The portable (non-relaxed) kernels, inlined as bytes by the bundler.
// Nothing is compiled at import time: the loader does that on request.
import bytes from '../../build/gradtrace.wasm'

/** The release `.wasm` (SIMD128, no relaxed SIMD). @since 0.1.0 */
export const defaultWasm: Uint8Array = bytes
