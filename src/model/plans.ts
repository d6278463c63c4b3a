/**
 * A model's plans, the other hidden state of gradtrace, named and bounded
 * here. Building a plan (the graph for a batch size, the trace, loss and
 * optimizer ops, the layout, the baked thunks) takes milliseconds, so a model
 * keeps the plans it ran: per mode (apply, grad, train) at most `PLANS_KEPT`,
 * keyed by batch size, target kind, trace level and — for training — the
 * optimizer's structure (its kinds and state slots, never its settings: a
 * schedule written by hand, a new optimizer value every step, reuses one
 * plan, #9); and at most `GRAPHS_KEPT` graphs, one per batch size. When a
 * cache is full, the plan used least recently goes; it is rebuilt if it is
 * needed again. The caches live as long as the model does and nothing else
 * holds them (test/model/hidden.test.ts).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { lru } from './plans'
 * const cache = lru<number>(2)
 * const make = (v: number) => () => E.right(v)
 * cache.get('a', make(1))
 * cache.get('b', make(2))
 * cache.get('a', make(9)) // a hit: 'a' is now the most recent
 * cache.get('c', make(3)) // full: 'b', the least recent, goes
 * assert.deepStrictEqual(cache.keys(), ['a', 'c'])
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'

/** Plans a model keeps per mode. @category utils */
export const PLANS_KEPT = 8

/** Graphs (one per batch size) a model keeps. @category utils */
export const GRAPHS_KEPT = 8

/** A cache of at most `limit` values by key, the least recently used dropped first. @category model */
export interface Lru<V> {
  readonly limit: number
  /** the value of `key`, made now (and kept) when absent; a failure to make is not kept */
  readonly get: (key: string, make: () => E.Either<GradtraceError, V>) => E.Either<GradtraceError, V>
  /** the keys held, least recent first */
  readonly keys: () => ReadonlyArray<string>
}

/** An empty cache of at most `limit` values. @category constructors */
export const lru = <V>(limit: number): Lru<V> => {
  const m = new Map<string, E.Right<V>>() // insertion order: least recent first; the values as handed out, so a hit allocates nothing
  return {
    limit,
    get: (key, make) => {
      const hit = m.get(key)
      if (hit !== undefined) {
        m.delete(key)
        m.set(key, hit)
        return hit
      }
      const made = make()
      if (E.isLeft(made)) return made
      m.set(key, made)
      for (const old of m.keys()) {
        if (m.size <= limit) break
        m.delete(old)
      }
      return made
    },
    keys: () => [...m.keys()],
  }
}
