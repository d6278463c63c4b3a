// GEMM workloads: gradtrace (release and relaxed builds, kernel called
// directly on inputs placed in Wasm memory once) against TensorFlow.js 4.22's
// wasm backend (XNNPACK, SIMD, one thread in Node) and cpu backend.
// BENCH_WASM / BENCH_WASM_RELAXED point at other builds (e.g. build/gemm/*.wasm).
import { readFileSync } from 'node:fs'
import { backendOf, rand, quiet } from './peers.mjs'

const root = new URL('../', import.meta.url)
const wasmFile = (env, rel) => process.env[env] ?? new URL(rel, root)


// form: 'nn' | 'nt' | 'tn'; A is (M,K) or (K,M) for tn; B is (K,N) or (N,K) for nt
const gradtrace = (file, form, m, k, n) => async () => {
  const bytes = readFileSync(file)
  if (!WebAssembly.validate(bytes)) throw new Error(`${file} does not validate here (relaxed SIMD needs --experimental-wasm-relaxed-simd on Node 20)`)
  const x = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports
  const fn = x[`gemm_${form}_f32_simd`]
  const base = ((x.heap_base?.() ?? 65536) + 63) & ~63
  const ws = base
  const a = (ws + x.gemm_ws_bytes() + 63) & ~63
  const b = (a + m * k * 4 + 63) & ~63
  const c = (b + k * n * 4 + 63) & ~63
  const end = c + m * n * 4
  if (end > x.memory.buffer.byteLength) x.memory.grow(Math.ceil((end - x.memory.buffer.byteLength) / 65536))
  new Float32Array(x.memory.buffer, a, m * k).set(rand(m * k, 1))
  new Float32Array(x.memory.buffer, b, k * n).set(rand(k * n, 2))
  return { run: () => fn(c, a, b, m, k, n, 0, ws), note: x.simd_relaxed?.() ? 'relaxed_madd' : undefined }
}



// Tensors belong to the backend that made them: each backend gets its own inputs.
const tfjs = (backend, form, m, k, n, maxReps) => async () => {
  const tf = await backendOf(backend)
  const a = quiet(() => tf.tensor2d(rand(m * k, 1), form === 'tn' ? [k, m] : [m, k]))
  const b = quiet(() => tf.tensor2d(rand(k * n, 2), form === 'nt' ? [n, k] : [k, n]))
  const ta = form === 'tn'
  const tb = form === 'nt'
  return {
    enter: () => tf.setBackend(backend),
    run: () => {
      const c = tf.matMul(a, b, ta, tb)
      c.dataSync()
      c.dispose()
    },
    teardown: () => {
      a.dispose()
      b.dispose()
    },
    maxReps,
    note: maxReps ? `${maxReps} reps: slow` : undefined,
  }
}

const gemm = (form, m, k, n, { cpuReps } = {}) => ({
  name: `gemm ${form} ${m}x${k}x${n}`,
  note: `C(${m},${n}) = ${form[0] === 't' ? `A(${k},${m})^T` : `A(${m},${k})`} . ${form[1] === 't' ? `B(${n},${k})^T` : `B(${k},${n})`}`,
  flops: 2 * m * k * n,
  systems: {
    gradtrace: gradtrace(wasmFile('BENCH_WASM', 'build/gradtrace.wasm'), form, m, k, n),
    'gradtrace-relaxed': gradtrace(wasmFile('BENCH_WASM_RELAXED', 'build/gradtrace.relaxed.wasm'), form, m, k, n),
    'tfjs-wasm': tfjs('wasm', form, m, k, n),
    'tfjs-cpu': tfjs('cpu', form, m, k, n, cpuReps),
  },
})

/** The GEMM shapes of training: dense forward (NN), dX = dY . W^T (NT), dW = X^T . dY (TN). */
export const workloads = [
  gemm('nn', 64, 784, 256),
  gemm('nn', 256, 256, 256),
  gemm('nn', 1024, 1024, 1024, { cpuReps: 3 }),
  gemm('nn', 64, 256, 256), // reference for NT at the same size
  gemm('nt', 64, 256, 256),
  gemm('nn', 784, 64, 256), // reference for TN at the same size
  gemm('tn', 784, 64, 256),
]
