// What the workload modules share: deterministic inputs, and TensorFlow.js
// 4.22 loaded once (with its wasm backend registered), its console banners
// silenced, a backend selected and ready.

/** n pseudo-random floats in [-scale, scale) from an LCG: the same inputs in every run. */
export const rand = (n, seed, scale = 1) => {
  const out = new Float32Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = scale * (s / 2 ** 31 - 1)
  }
  return out
}

let tf
/** @tensorflow/tfjs with @tensorflow/tfjs-backend-wasm registered. */
export const loadTf = async () => {
  tf ??= await import('@tensorflow/tfjs')
  await import('@tensorflow/tfjs-backend-wasm')
  return tf
}

/** Runs f with console.warn silenced (the cpu backend's "tfjs-node is faster" banner). */
export const quiet = (f) => {
  const warn = console.warn
  console.warn = () => {}
  try {
    return f()
  } finally {
    console.warn = warn
  }
}

/** TensorFlow.js on `backend`, initialised and ready. */
export const backendOf = async (backend) => {
  const t = await loadTf()
  if (!(await t.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`)
  await t.ready()
  return t
}
