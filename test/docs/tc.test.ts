import { it } from 'vitest'
import { allExamples, bundle } from './extract'
import { typeErrors } from './typecheck'
it('dbg', async () => {
  let t0 = Date.now()
  const ex = allExamples()
  typeErrors(ex)
  console.log('typecheck', Date.now() - t0); t0 = Date.now()
  for (const e of ex) await bundle(e)
  console.log('bundle', Date.now() - t0, ex.length)
}, 300000)
