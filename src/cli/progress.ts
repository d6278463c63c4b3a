/**
 * Progress for the terminal: a redrawn bar when stderr is a TTY, plain lines
 * (at most one per 10% and per note) when it is not (CI logs, pipes).
 *
 * @since 0.1.0
 */

/** @category model */
export interface Progress {
  readonly update: (fraction: number, note?: string) => void
  readonly done: (line?: string) => void
}

/** @category constructors */
export const progress = (stream: NodeJS.WriteStream, title: string): Progress => {
  const tty = stream.isTTY === true
  const width = 30
  let lastTenth = -1
  let lastNote = ''
  const t0 = Date.now()
  const secs = () => ((Date.now() - t0) / 1000).toFixed(1)
  return {
    update: (f, note = '') => {
      const frac = Math.max(0, Math.min(1, f))
      if (tty) {
        const n = Math.round(frac * width)
        stream.write(`\r${title} [${'#'.repeat(n)}${'.'.repeat(width - n)}] ${(100 * frac).toFixed(0).padStart(3)}% ${secs()}s ${note}`.slice(0, (stream.columns ?? 100) - 1).padEnd(Math.min(100, (stream.columns ?? 100) - 1)))
        return
      }
      const tenth = Math.floor(frac * 10)
      if (tenth !== lastTenth || note !== lastNote) {
        stream.write(`${title}: ${(100 * frac).toFixed(0)}% ${secs()}s ${note}\n`)
        lastTenth = tenth
        lastNote = note
      }
    },
    done: (line) => {
      if (tty) stream.write('\r' + ' '.repeat(Math.min(100, (stream.columns ?? 100) - 1)) + '\r')
      stream.write(`${title}: done in ${secs()}s${line ? ` — ${line}` : ''}\n`)
    },
  }
}
