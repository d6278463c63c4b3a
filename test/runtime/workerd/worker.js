// A Cloudflare-style Worker (module syntax) for workerd: the .wasm arrives as
// a compiled WebAssembly.Module (workerd refuses to compile bytes), is handed
// to the loader, and the shared scenario trains on that runtime.
//   GET /scenario  -> the scenario's result as JSON
//   GET /nomodule  -> what loading without a module gives (error values)
import * as G from './gradtrace.js'
import wasm from './gradtrace.wasm'
import { runScenario } from './scenario.mjs'

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url)
    try {
      if (pathname === '/scenario') {
        const rt = await G.Wasm.load({ wasm })
        if (rt._tag === 'Left') return json({ error: G.Err.show(rt.left) }, 500)
        const t0 = Date.now()
        const result = await runScenario(G, { runtime: rt.right })
        return json({ result, isModule: wasm instanceof WebAssembly.Module, ms: Date.now() - t0 })
      }
      if (pathname === '/nomodule') {
        const asyncLoad = await G.Wasm.load()
        const syncLoad = G.Wasm.loadSync()
        const net = G.Layer.serial(G.Layer.dense(4, { activation: 'tanh' }), G.Layer.dense(2))
        const compiled = G.Model.compile(net, { input: [3], loss: 'softmaxCrossEntropy' })
        const view = (e) => (e._tag === 'Left' ? { tag: 'Left', error: e.left, shown: G.Err.show(e.left) } : { tag: 'Right' })
        return json({ load: view(asyncLoad), loadSync: view(syncLoad), compile: view(compiled) })
      }
      return json({ error: `no route ${pathname}` }, 404)
    } catch (e) {
      return json({ thrown: String(e && e.stack ? e.stack : e) }, 500)
    }
  },
}
