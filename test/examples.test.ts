// Every example runs, at small sizes, and shows what its comments promise
// (03, 05 and 06 run through their experiments in test/experiments/).
import { describe, expect, it, vi } from 'vitest'
import { main as firstSteps } from '../examples/01-first-steps'
import { main as depthSweep } from '../examples/02-depth-sweep'
import { main as adding } from '../examples/04-adding-problem'
import { main as fashion } from '../examples/07-fashion-mnist'
import { main as clipping } from '../examples/08-clipping'
import { main as customLayer } from '../examples/09-custom-layer'
import { main as lion } from '../examples/10-lion'

const quietly = async <A>(f: () => A | Promise<A>): Promise<A> => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
  try {
    return await f()
  } finally {
    log.mockRestore()
  }
}

describe('examples', () => {
  it('01 first steps: a tanh MLP learns the digits', async () => {
    const r = await quietly(() => firstSteps([], { epochs: 3 }))
    expect(r.testAccuracy).toBeGreaterThan(0.9)
    expect(r.firstToLast).toBeGreaterThan(0.05)
  })
  it('02 depth sweep (quick): sigmoid + classic vanishes, relu + He does not', async () => {
    const pts = await quietly(() => depthSweep(['--quick']))
    const at = (act: string, init: string, d: number) => pts.find((p) => p.config.act === act && p.config.init === init && p.depth === d)!.ratio
    expect(at('sigmoid', 'classic', 10)).toBeLessThan(1e-6)
    expect(at('relu', 'he', 10)).toBeGreaterThan(0.3)
    expect(at('relu', 'he', 10)).toBeLessThan(3)
  })
  it('04 adding problem (quick, 300 steps): the gated cells solve T = 10, the RNN gets below the 1/6 baseline there', async () => {
    const runs = await quietly(() => adding(['--quick']))
    for (const cell of ['lstm', 'gru']) expect(runs.some((r) => r.cell === cell && r.T === 10 && r.solved), cell).toBe(true)
    expect(runs.find((r) => r.cell === 'rnn' && r.T === 10)!.testMse).toBeLessThan(0.1)
  }, 60_000)
  it('07 Fashion-MNIST on the shipped subset, one epoch', async () => {
    const acc = await quietly(() => fashion(['/nonexistent', '--epochs', '1']))
    expect(acc).toBeGreaterThan(0.5)
  })
  it('08 clipping (quick): non-finite without clipping, finite with it', async () => {
    const r = await quietly(() => clipping(['--quick']))
    expect(r.table.rows[0]![4]).not.toBe('-')
    expect(r.table.rows[1]![4]).toBe('-')
  })
  it('09 a custom layer kind trains', async () => {
    expect(await quietly(() => customLayer())).toBeLessThan(0.05)
  })
  it('10 a user-defined optimizer (Lion) trains', async () => {
    expect(await quietly(() => lion())).toBeLessThan(0.05)
  })
})
