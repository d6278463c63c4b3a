// RBM workload (#11 part 9): one CD-1 step of a 784-500 Bernoulli RBM on a batch of
// 100 binary vectors. gradtrace runs Rbm.step (positive phase, Gibbs sampling in Wasm
// from the step's key, CD gradient with weight decay, momentum, update, and the
// trace: reconstruction error, free energy, hidden means and histogram, update
// ratios), everything copied in and out per step; TensorFlow.js 4.22 runs the same
// computation with its ops inside tidy on resident variables (wasm and cpu backends),
// reading back the step's scalars (reconstruction error, free energy, hidden mean).
// gradtrace is bundled here from src/ (esbuild, the current build/gradtrace.wasm), so
// the workload measures the sources as they are, not a dist/ of some earlier day.
//   node --expose-gc bench/run.mjs --filter rbm
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import * as E from 'fp-ts/lib/Either.js'
import { backendOf, rand } from './peers.mjs'

const V = 784, H = 500, B = 100, LR = 0.1, MU = 0.5, DECAY = 2e-4

const loadSrc = async () => {
  const root = new URL('../', import.meta.url).pathname
  const out = await build({
    entryPoints: [join(root, 'src/entries/core.ts')],
    bundle: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    loader: { '.wasm': 'base64' },
    format: 'esm',
    write: false,
    target: 'es2022',
    logLevel: 'warning',
  })
  const file = join(mkdtempSync(join(tmpdir(), 'gradtrace-bench-rbm-')), 'core.mjs')
  writeFileSync(file, out.outputFiles[0].text)
  return import(pathToFileURL(file).href)
}

const binary = (n, seed) => Float32Array.from(rand(n, seed), (u) => (u > 0.3 ? 1 : 0)) // about 35% on, as MNIST pixels after thresholding

const gradtrace = (G, relaxed) => async () => {
  const { Key, Rbm, Wasm } = G
  const rt = relaxed ? Wasm.loadSync({ wasm: readFileSync(new URL('../build/gradtrace.relaxed.wasm', import.meta.url)), relaxed: 'require' }) : E.right(undefined)
  if (E.isLeft(rt)) throw new Error(JSON.stringify(rt.left))
  const spec = Rbm.spec({ nVisible: V, nHidden: H, learningRate: LR, weightDecay: DECAY })
  const batch = { shape: [B, V], data: binary(B * V, 3) }
  const s0 = E.chain((s) => Rbm.init(s, Key.key(0), batch))(spec)
  if (E.isLeft(s0)) throw new Error(JSON.stringify(s0.left))
  let state = s0.right
  return {
    run: () => {
      const r = Rbm.step(state, batch, rt.right)
      if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
      state = r.right[0]
    },
    note: relaxed ? 'relaxed-SIMD build: opt-in, not bit-identical across CPUs' : 'Rbm.step, trace included',
  }
}

const tfjs = (backend, maxReps) => async () => {
  const tf = await backendOf(backend)
  const W = tf.variable(tf.randomNormal([V, H], 0, 0.01, 'float32', 1)), a = tf.variable(tf.zeros([V])), b = tf.variable(tf.zeros([H]))
  const vW = tf.variable(tf.zeros([V, H])), va = tf.variable(tf.zeros([V])), vb = tf.variable(tf.zeros([H]))
  const v0 = tf.tensor2d(binary(B * V, 3), [B, V])
  let seed = 0
  const bern = (p) => tf.cast(tf.less(tf.randomUniform(p.shape, 0, 1, 'float32', ++seed), p), 'float32')
  const momentum = (vel, param, g) => {
    vel.assign(vel.mul(MU).add(g))
    param.assign(param.sub(vel.mul(LR)))
  }
  return {
    enter: () => tf.setBackend(backend),
    run: () => {
      const out = tf.tidy(() => {
        const hz = v0.matMul(W).add(b), hp0 = tf.sigmoid(hz), hs = bern(hp0)
        const vp = tf.sigmoid(hs.matMul(W, false, true).add(a))
        const hkp = tf.sigmoid(vp.matMul(W).add(b))
        const gW = vp.matMul(hkp, true, false).sub(v0.matMul(hp0, true, false)).div(B).add(W.mul(DECAY))
        const ga = vp.sum(0).sub(v0.sum(0)).div(B), gb = hkp.sum(0).sub(hp0.sum(0)).div(B)
        const recon = v0.sub(vp).square().sum().div(B)
        const fe = v0.matMul(a.expandDims(1)).sum().neg().sub(tf.softplus(hz).sum()).div(B)
        const hmean = hp0.mean()
        momentum(vW, W, gW)
        momentum(va, a, ga)
        momentum(vb, b, gb)
        return tf.stack([recon, fe, hmean])
      })
      out.dataSync()
      out.dispose()
    },
    teardown: () => [W, a, b, vW, va, vb, v0].forEach((t) => t.dispose()),
    maxReps,
    note: maxReps ? `${maxReps} reps: slow` : undefined,
  }
}

export const workloads = async () => {
  const G = await loadSrc()
  return [
    {
      name: 'R1 rbm cd-1 step 784-500 b100',
      flops: 5 * 2 * B * V * H, // five GEMMs of B x V x H multiply-adds; sampling and the rest not counted
      note: 'one CD-1 step: positive phase, one Gibbs step, CD gradient with weight decay, momentum, update, trace',
      systems: { gradtrace: gradtrace(G, false), 'gradtrace-relaxed': gradtrace(G, true), 'tfjs-wasm': tfjs('wasm'), 'tfjs-cpu': tfjs('cpu', 5) },
    },
  ]
}
