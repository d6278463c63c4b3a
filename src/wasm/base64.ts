/**
 * Base64 to bytes with `atob` (Node >= 16, browsers, Workers, Deno, Bun). The
 * bundles inline the .wasm as base64 text and decode it only when a runtime is
 * first loaded, so importing gradtrace costs no decoding (#6: cold start).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { fromBase64 } from './base64'
 * assert.deepStrictEqual(fromBase64('AGFzbQ=='), new Uint8Array([0, 97, 115, 109])) // '\0asm', Wasm's magic number
 *
 * @since 0.1.0
 */

/** @category utils */
export const fromBase64 = (b64: string): Uint8Array => {
  const s = atob(b64)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}
