// Progress (#9): redirected, a run prints a few lines (one per 10%), not one
// per step; on a TTY it redraws one line.
import { describe, expect, it } from 'vitest'
import { progress } from '../../src/cli/progress'

const sink = (isTTY: boolean) => {
  const out: string[] = []
  return { out, stream: { isTTY, columns: 100, write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WriteStream }
}

describe('progress', () => {
  it('not a TTY: at most one line per 10% however often it is told, whatever the note', () => {
    const { out, stream } = sink(false)
    let clock = 0
    const bar = progress(stream, 'gradtrace run', 30_000, () => clock)
    for (let i = 1; i <= 5000; i++) {
      clock += 1
      bar.update(i / 5000, `epoch ${1 + Math.floor(i / 500)} loss ${(1 / i).toFixed(4)}`)
    }
    bar.done('loss 0.1')
    const lines = out.join('').split('\n').filter((l) => l !== '')
    expect(lines.length).toBeLessThanOrEqual(12)
    expect(lines.length).toBeGreaterThanOrEqual(10)
    expect(lines[lines.length - 1]).toMatch(/^gradtrace run: done in 5\.0s — loss 0\.1$/)
    expect(out.every((s) => !s.includes('\r'))).toBe(true)
  })

  it('not a TTY: a long quiet stretch still prints a line now and then', () => {
    const { out, stream } = sink(false)
    let clock = 0
    const bar = progress(stream, 't', 30_000, () => clock)
    for (let i = 0; i < 100; i++) {
      clock += 1000 // 100 s inside the first 10%
      bar.update(0.05, 'slow')
    }
    expect(out.length).toBeGreaterThanOrEqual(3)
    expect(out.length).toBeLessThanOrEqual(5)
  })

  it('a TTY: redraws in place with a carriage return, at most every 50 ms', () => {
    const { out, stream } = sink(true)
    let clock = 0
    const bar = progress(stream, 't', 30_000, () => clock)
    for (let i = 1; i <= 1000; i++) {
      clock += 1
      bar.update(i / 1000, 'x')
    }
    expect(out.every((s) => s.startsWith('\r'))).toBe(true)
    expect(out.length).toBeLessThanOrEqual(1000 / 50 + 2)
  })
})
