/**
 * README.md's measured figures come from results files in the repository
 * (#9 part 7): its generated regions must be exactly what scripts/readme.mjs
 * makes from docs/demo-results.json (a full `npx gradtrace demo` run),
 * bench/results.json and docs/fashion-mnist-results.json. A figure typed into a region, results committed without
 * `npm run readme`, or a region that lost its marker fails here. Nothing is
 * run or timed: the text is regenerated from the committed files.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { experiments } from '../src/cli/experiments'

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

  it('the committed demo results are a full run of every section the demo has', () => {
    const results = JSON.parse(read(script.DEMO_RESULTS)) as { meta: { mode: string }; sections: Record<string, unknown> }
    expect(results.meta.mode).toBe('full')
    expect(Object.keys(results.sections)).toEqual(experiments.map((e) => e.id))
  })
})
