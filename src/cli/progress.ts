/**
 * Progress for the terminal: a redrawn bar when stderr is a TTY, sparse plain
 * lines when it is not (CI logs, pipes): one per 10%, or after `quietMs` with
 * none, never one per step (#9: a changing note, "epoch 1 loss 0.31", used to
 * print a line each step).
 *
 * @since 0.1.0
 */

/** @category model */
export interface Progress {
  readonly update: (fraction: number, note?: string) => void
  readonly done: (line?: string) => void
}

/** @category constructors */
export const progress = (
  stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY' | 'columns'>,
  title: string,
  quietMs = 30_000,
  now: () => number = Date.now,
): Progress => {
  const tty = stream.isTTY === true
  const width = 30
  let lastTenth = -1
  let lastLine = now()
  let lastDraw = -Infinity
  const t0 = now()
  const secs = () => ((now() - t0) / 1000).toFixed(1)
  return {
    update: (f, note = '') => {
      const frac = Math.max(0, Math.min(1, f))
      if (tty) {
        if (frac < 1 && now() - lastDraw < 50) return // a redraw every 50 ms is smooth; one per step is not needed
        lastDraw = now()
        const n = Math.round(frac * width)
        const cols = (stream.columns ?? 100) - 1
        const line = `\r${title} [${'#'.repeat(n)}${'.'.repeat(width - n)}] ${(100 * frac).toFixed(0).padStart(3)}% ${secs()}s ${note}`
        stream.write(line.slice(0, cols).padEnd(Math.min(100, cols)))
        return
      }
      const tenth = Math.floor(frac * 10)
      if (tenth !== lastTenth || now() - lastLine >= quietMs) {
        stream.write(`${title}: ${(100 * frac).toFixed(0)}% ${secs()}s ${note}`.trimEnd() + '\n')
        lastTenth = tenth
        lastLine = now()
      }
    },
    done: (line) => {
      if (tty) stream.write('\r' + ' '.repeat(Math.min(100, (stream.columns ?? 100) - 1)) + '\r')
      stream.write(`${title}: done in ${secs()}s${line ? ` — ${line}` : ''}\n`)
    },
  }
}
