/**
 * gradtrace without the report and the codecs: everything to build, train and
 * trace networks, for programs that start often and draw nothing (serverless
 * functions, Workers, CLIs). It loads in about half the time of the full
 * entry; add `gradtrace/report` pictures or `Codec` files from 'gradtrace'
 * where you need them.
 *
 * @example
 * import { Key, Layer, Model, Optim, Train } from 'gradtrace/core'
 *
 * @since 0.1.0
 */
export * as Err from './core/Error'
export * as Key from './core/Key'
export * as Params from './core/Params'
export * as Tensor from './core/Tensor'
export * as Layer from './layer/index'
export * as Model from './plan/compile'
export * as Ops from './plan/ops'
export * as Optim from './optim/index'
export * as Train from './train/index'
export * as Trace from './trace/index'
export * as Wasm from './wasm/index'
