/**
 * The built-in layer kinds by name, and lookup with user kinds added. There is
 * no global registry to mutate: user kinds travel with the call
 * (`compile(net, { ..., kinds: [myKind] })`).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { builtins, lookupIn } from './registry'
 * const lookup = lookupIn(builtins)
 * assert.strictEqual(lookup('dense')?.kind, 'dense')
 * assert.strictEqual(lookup('conv'), undefined)
 * const myDense = { ...lookup('dense')! } // a kind of your own under a built-in name replaces it
 * assert.strictEqual(lookupIn([...builtins, myDense])('dense'), myDense)
 *
 * @since 0.1.0
 */
import { fanInConcatKind, fanInSumKind, fanOutKind, identityKind, parallelKind } from '../combinator/fan'
import { residualKind } from '../combinator/residual'
import { serialKind } from '../combinator/serial'
import { activationKind } from '../layer/activation'
import { batchNormKind } from '../layer/batchNorm'
import { conv2dKind } from '../layer/conv'
import { flattenKind } from '../layer/convFlatten'
import { denseKind } from '../layer/dense'
import { dropoutKind } from '../layer/dropout'
import { layerNormKind } from '../layer/norm'
import { avgPoolKind, globalAvgPoolKind, maxPoolKind } from '../layer/pool'
import type { Kind } from '../layer/Layer'
import { gruKind } from '../layer/recurrent/gru'
import { lstmKind } from '../layer/recurrent/lstm'
import { rnnKind } from '../layer/recurrent/rnn'
import { mdlstmKind, rnn2dKind } from '../layer/recurrent2d/index'

/** Every built-in kind (the list and each kind record frozen: changing them cannot change later models). @category kinds */
export const builtins: ReadonlyArray<Kind> = Object.freeze([
  denseKind,
  activationKind,
  dropoutKind,
  layerNormKind,
  serialKind,
  parallelKind,
  fanOutKind,
  fanInSumKind,
  fanInConcatKind,
  identityKind,
  residualKind,
  rnnKind,
  lstmKind,
  gruKind,
  rnn2dKind,
  mdlstmKind,
  batchNormKind,
  conv2dKind,
  maxPoolKind,
  avgPoolKind,
  globalAvgPoolKind,
  flattenKind,
].map((k) => Object.freeze(k)))

/** Lookup by name in a list of kinds (later entries win, so user kinds may replace built-ins). @category utils */
export const lookupIn = (kinds: ReadonlyArray<Kind>) => {
  const m = new Map(kinds.map((k) => [k.kind, k] as const))
  return (name: string): Kind | undefined => m.get(name)
}
