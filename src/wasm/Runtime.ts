/**
 * Loading the kernels. `load()` (async) and `loadSync()` return
 * `Either<GradtraceError, Runtime>`; they accept bytes or a precompiled
 * `WebAssembly.Module` (edge runtimes such as Cloudflare Workers, which forbid
 * compiling Wasm from bytes). Nothing compiles at import time. The relaxed-SIMD
 * build is used only when asked for, and only after `WebAssembly.validate`
 * accepts it; otherwise the portable build runs and `notice` says why.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { loadSync } from './Runtime'
 * const rt = loadSync() // Right({ kernels, relaxed: false })
 * assert.ok(E.isRight(rt))
 * assert.strictEqual(typeof rt.right.kernels.heap_base, 'function')
 * assert.ok(E.isLeft(loadSync({ wasm: new Uint8Array([0, 97, 115, 109]) }))) // a truncated module: an error value
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, loadError } from '../core/Error'
import type { Kernels } from './abi'
import { defaultWasm } from './bytes'

/** A loaded instance of the kernels: one Wasm memory, used as a workspace. @category model */
export interface Runtime {
  readonly kernels: Kernels
  /** true when the relaxed-SIMD build runs (results may differ by CPU) */
  readonly relaxed: boolean
  /** why a requested relaxed build is not running, if it is not */
  readonly notice?: string
}

/**
 * A compiled `WebAssembly.Module` (as `import wasm from 'gradtrace/wasm'` gives
 * where .wasm imports are compiled, e.g. Cloudflare Workers). Typed as an
 * object, as `WebAssembly.Module` itself is an empty interface, so that
 * programs compiled without the DOM lib (`lib: ["ES2022"]`) typecheck.
 *
 * @category model
 */
export type WasmModule = object

/** @category model */
export interface LoadOptions {
  /** the module to run: bytes of a gradtrace `.wasm`, or a precompiled module */
  readonly wasm?: Uint8Array | ArrayBuffer | WasmModule
  /** `wasm` is the relaxed-SIMD build; `'require'` fails instead of falling back */
  readonly relaxed?: boolean | 'require'
}

const isModule = (w: unknown): w is WebAssembly.Module =>
  typeof WebAssembly !== 'undefined' && w instanceof WebAssembly.Module

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const codegenHint =
  'this runtime forbids compiling WebAssembly from bytes (as Cloudflare Workers do); import the .wasm as a module (`import wasm from "gradtrace/wasm"`), load it and pass the runtime on: `const rt = await Wasm.load({ wasm })`, then `Model.compile(net, { ..., runtime: rt.right })`'

const wrapCompileError = (e: unknown): GradtraceError => {
  const m = describe(e)
  return loadError(/code generation|disallowed|not allowed|CompileError/i.test(m) ? `${m}; ${codegenHint}` : m)
}

const REQUIRED_EXPORTS = ['memory', 'heap_base', 'gemm_nn_f32_simd', 'act_f32_simd', 'stats_f32_simd'] as const

const fromInstance = (inst: WebAssembly.Instance, relaxedAsked: LoadOptions['relaxed']): E.Either<GradtraceError, Runtime> => {
  const k = inst.exports as unknown as Kernels
  const missing = REQUIRED_EXPORTS.filter((n) => !(n in inst.exports))
  if (missing.length > 0) return E.left(loadError(`not a gradtrace kernel module (missing exports: ${missing.join(', ')})`))
  const relaxed = k.simd_relaxed() === 1
  if (relaxedAsked === 'require' && !relaxed) return E.left(loadError('relaxed SIMD was required but the module given is the portable build'))
  return E.right(relaxed || !relaxedAsked ? { kernels: k, relaxed } : { kernels: k, relaxed, notice: 'relaxed SIMD was asked for but the module given is the portable build' })
}

/** Choose the bytes to compile, validating a relaxed build first. */
const chooseBytes = (opts: LoadOptions): E.Either<GradtraceError, { bytes: Uint8Array | ArrayBuffer; notice?: string }> => {
  const given = opts.wasm as Uint8Array | ArrayBuffer | undefined
  if (!opts.relaxed) return E.right({ bytes: given ?? defaultWasm() })
  if (given === undefined) return E.left(loadError('relaxed SIMD needs the relaxed build: pass load({ wasm: relaxedWasm, relaxed: true }) with relaxedWasm from "gradtrace/relaxed"'))
  if (WebAssembly.validate(given as BufferSource)) return E.right({ bytes: given })
  if (opts.relaxed === 'require') return E.left(loadError('this engine does not support relaxed SIMD (WebAssembly.validate refused the relaxed build)'))
  return E.right({ bytes: defaultWasm(), notice: 'this engine does not support relaxed SIMD; running the portable SIMD build' })
}

const withNotice = (notice: string | undefined) => (rt: Runtime): Runtime => (notice === undefined ? rt : { ...rt, notice })

/** Compile and instantiate synchronously (CommonJS, workers, tests). @category constructors */
export const loadSync = (opts: LoadOptions = {}): E.Either<GradtraceError, Runtime> => {
  try {
    if (isModule(opts.wasm)) return fromInstance(new WebAssembly.Instance(opts.wasm, {}), opts.relaxed)
    const chosen = chooseBytes(opts)
    if (E.isLeft(chosen)) return chosen
    const mod = new WebAssembly.Module(chosen.right.bytes as BufferSource)
    return E.map(withNotice(chosen.right.notice))(fromInstance(new WebAssembly.Instance(mod, {}), chosen.right.notice ? false : opts.relaxed))
  } catch (e) {
    return E.left(wrapCompileError(e))
  }
}

/** Compile and instantiate asynchronously (browsers' main thread, edge runtimes). @category constructors */
export const load = async (opts: LoadOptions = {}): Promise<E.Either<GradtraceError, Runtime>> => {
  try {
    if (isModule(opts.wasm)) return fromInstance(await WebAssembly.instantiate(opts.wasm, {}), opts.relaxed)
    const chosen = chooseBytes(opts)
    if (E.isLeft(chosen)) return chosen
    const { instance } = await WebAssembly.instantiate(chosen.right.bytes as BufferSource, {})
    return E.map(withNotice(chosen.right.notice))(fromInstance(instance, chosen.right.notice ? false : opts.relaxed))
  } catch (e) {
    return E.left(wrapCompileError(e))
  }
}
