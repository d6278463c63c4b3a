import { describe, expect, it } from 'vitest'
import { okabeIto, seriesStyle, viridis } from '../../src/report/palette'
import { decade, fmt, linearDomain, linearScale, logDomain, logScale, project, ticks } from '../../src/report/scale'
import { el, escapeXml, num, shorten } from '../../src/report/svg'
import { wellFormed } from './xml'

describe('escapeXml', () => {
  it('escapes markup characters and replaces characters XML forbids', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;')
    expect(escapeXml('a\u0001b\uD800c')).toBe('a\uFFFDb\uFFFDc')
    expect(escapeXml('😀')).toBe('😀')
    expect(wellFormed(el('text', { 'data-x': '<&>' }, escapeXml('<&>')))).toBeNull()
  })
  it('never writes NaN as a coordinate', () => {
    expect([num(NaN), num(Infinity), num(-0), num(1.005), num(2 / 3)]).toEqual(['0', '0', '0', '1', '0.67'])
  })
  it('shortens long paths in the middle', () => {
    expect(shorten('serial/12/residual/serial/3/dense', 15)).toBe('serial/…3/dense')
    expect(shorten('short', 15)).toBe('short')
  })
})

describe('scales', () => {
  it('log scales tick whole decades, 10^-8 … 10^0', () => {
    const s = logScale([1e-8, 1], [300, 0])
    const ts = ticks(s, 8)
    expect(ts.map((t) => t.exp)).toEqual([-8, -7, -6, -5, -4, -3, -2, -1, 0])
    expect(ts.every((t) => t.major)).toBe(true)
    expect(project(s)(1e-4)).toBeCloseTo(150)
    expect(ticks(s, 4).filter((t) => t.major).map((t) => t.label)).toEqual(['1e-8', '1e-6', '1e-4', '1e-2', '1e0'])
  })
  it('narrow log ranges get 1-2-5 ticks with plain labels', () => {
    expect(ticks(logScale([0.1, 10], [0, 1])).map((t) => t.label)).toEqual(['0.1', '0.2', '0.5', '1', '2', '5', '10'])
  })
  it('log domains enclose the finite positive values in whole decades', () => {
    expect(logDomain([3e-7, 0, NaN, -1, Infinity, 0.2])).toEqual([1e-7, 1])
    expect(logDomain([1, 1])).toEqual([1, 10])
    expect(logDomain([])).toEqual([1e-3, 1])
    expect(decade(-7)).toBe(1e-7)
  })
  it('linear ticks are nice and the domain is rounded out', () => {
    expect(linearDomain([0.13, 2.31], true)).toEqual([0, 2.5])
    expect(ticks(linearScale([0, 2.5], [0, 1]), 5).map((t) => t.label)).toEqual(['0', '0.5', '1', '1.5', '2', '2.5'])
    expect(linearDomain([NaN])).toEqual([0, 1])
  })
  it('formats numbers briefly', () => {
    expect([fmt(0.25), fmt(3.2e-5), fmt(12345), fmt(0), fmt(NaN), fmt(-Infinity), fmt(1e-30)]).toEqual(['0.25', '3.2e-5', '12300', '0', 'not finite', '−∞', '1e-30'])
  })
})

describe('palette', () => {
  it('uses Okabe–Ito without yellow, with a distinct dash for neighbours', () => {
    expect(okabeIto).not.toContain('#F0E442')
    const styles = Array.from({ length: 35 }, (_, i) => seriesStyle(i))
    expect(new Set(styles.map((s) => `${s.color}|${s.dash}`)).size).toBe(35)
  })
  it('viridis runs from dark purple to yellow', () => {
    expect(viridis(0)).toBe('#440154')
    expect(viridis(1)).toBe('#fde725')
    expect(viridis(NaN)).toBe('#440154')
    expect(viridis(0.5)).toBe('#21918c')
  })
})
