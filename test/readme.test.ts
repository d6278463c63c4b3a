/**
 * README.md's measured figures come from results files in the repository
 * (#9 part 7): its generated regions must be exactly what scripts/readme.mjs
 * makes from docs/demo-results.json (a full `npx gradtrace demo` run),
 * bench/results.json and docs/fashion-mnist-results.json. A figure typed into a region, results committed without
 * `npm run readme`, or a region that lost its marker fails here. Nothing is
 * run or timed: the text is regenerated from the committed files.
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { experiments } from '../src/cli/experiments'
import { calibration, depthSweep } from '../src/experiments/depthSweep'

interface ReadmeScript {
  readonly generate: (readme?: string) => string
  readonly differing: (a: string, b: string) => ReadonlyArray<string>
  readonly DEMO_RESULTS: string
}
const script = (await import(new URL('../scripts/readme.mjs', import.meta.url).href)) as ReadmeScript
const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')
const readme = read('README.md')

/** README.md without its generated regions and code blocks: the typed text. */
const typed = readme.replace(/<!-- generated:[a-z-]+ -->[\s\S]*?<!-- \/generated -->/g, '').replace(/```[\s\S]*?```/g, '')

describe('README.md', () => {
  it('its generated regions are what `npm run readme` makes from the committed results', () => {
    expect(script.differing(readme, script.generate(readme))).toEqual([])
    expect(script.generate(readme)).toBe(readme)
  })

  it('a figure changed by hand in a region is found', () => {
    const edited = readme.replace(/(<!-- generated:depth -->[\s\S]*?)\d\.\d\de-8/, '$12.00e-8')
    expect(edited).not.toBe(readme)
    expect(script.differing(edited, script.generate(edited))).toEqual(['depth'])
  })

  it('states no measurement outside the generated regions (ratios, exponents, percentages, times, sizes)', () => {
    const measured = /\d\.\d+e[+-]?\d+|\d+(\.\d+)?\s?(%|ms\b|KB\b|GFLOP\/s)|\d+(\.\d+)?×(?!\d)|\b\d+(\.\d+)? s on\b/g
    expect(typed.match(measured) ?? []).toEqual([])
  })

  const results = JSON.parse(read(script.DEMO_RESULTS)) as { meta: { mode: string }; sections: Record<string, { figures: Record<string, number> }> }

  it('the committed demo results are a full run of every section the demo has', () => {
    expect(results.meta.mode).toBe('full')
    expect(Object.keys(results.sections)).toEqual(experiments.map((e) => e.id))
  })

  it('the depth table is what the code measures today (runs are bit-identical: rerun the demo when this fails)', () => {
    const r = depthSweep({ depths: [10], configs: calibration, seeds: 10, batch: 512 })
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    const committed = results.sections['depth']!.figures
    expect(r.right.map((p) => p.ratio)).toEqual(calibration.map((c) => committed[`calibration_${c.act}_${c.init}_measured`]))
  })
})
