// A tiny static server for the browser example and the browser tests: serves
// the project directory on 127.0.0.1 (never other interfaces), `.wasm` as
// application/wasm, no caching.
//
//   node scripts/serve.mjs [port]     then open http://127.0.0.1:<port>/examples/browser/
//
// `/report.js` is the report module (src/report) bundled on demand with
// esbuild, for as long as the package does not export it (see
// examples/browser/main.js).
import { createServer } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
}

let reportBundle
const bundleReport = async () => {
  if (!reportBundle) {
    const { build } = await import('esbuild')
    reportBundle = build({
      entryPoints: [join(ROOT, 'src/report/index.ts')],
      bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'],
      target: 'es2022', write: false, logLevel: 'silent',
    }).then((r) => r.outputFiles[0].contents)
  }
  return reportBundle
}

/** Starts the server; resolves to { url, port, close }. Port 0 (default) picks a free one. */
export const serve = ({ root = ROOT, port = 0 } = {}) =>
  new Promise((ok, fail) => {
    const server = createServer(async (req, res) => {
      const send = (status, body, type = 'text/plain; charset=utf-8') => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
        res.end(body)
      }
      try {
        const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
        if (path === '/report.js') return send(200, await bundleReport(), TYPES['.js'])
        let file = normalize(join(root, path))
        if (file !== root && !file.startsWith(root + sep)) return send(403, 'forbidden')
        const st = await stat(file).catch(() => null)
        if (st?.isDirectory()) file = join(file, 'index.html')
        const body = await readFile(file).catch(() => null)
        if (body === null) return send(404, `not found: ${path}`)
        send(200, body, TYPES[extname(file)] ?? 'application/octet-stream')
      } catch (e) {
        send(500, String(e))
      }
    })
    server.on('error', fail)
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address()
      ok({
        url: `http://127.0.0.1:${p}`,
        port: p,
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()) }),
      })
    })
  })

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = await serve({ port: Number(process.argv[2] ?? 8080) })
  console.log(`serving ${ROOT} at ${s.url}/  (example: ${s.url}/examples/browser/)`)
}
