/**
 * A scalar reverse-mode tape in float64 (micrograd's engine, flattened): every
 * value is a node holding its parents and the local derivatives d node / d
 * parent; `backward` runs the nodes in reverse order of creation, so after it
 * every node's `g` is dL/d(node), whatever the node is: a parameter, a
 * pre-activation, a layer's output, a recurrent state at step t. The trace
 * reference (traceReference.ts) reads those gradients; it knows nothing of the
 * plan, the buffers or the kernels.
 */

// model ----------------------------------------------------------------------

export interface Node {
  readonly v: number
  g: number
  /** the same backward with every local derivative and seed taken in absolute value: the size of the terms g sums, so the f32 rounding of g is ~eps * ga */
  ga: number
  readonly ps: ReadonlyArray<Node>
  readonly ds: ReadonlyArray<number>
  /** the size of the terms each local derivative is a difference of (default |ds|): a loss's p - t */
  readonly sz?: ReadonlyArray<number>
}

export interface Tape {
  readonly nodes: Node[]
}

// constructors -----------------------------------------------------------------

export const tape = (): Tape => ({ nodes: [] })

/** A node of value v with parents ps and local derivatives ds. */
export const node = (t: Tape, v: number, ps: ReadonlyArray<Node>, ds: ReadonlyArray<number>, sz?: ReadonlyArray<number>): Node => {
  const n: Node = sz ? { v, g: 0, ga: 0, ps, ds, sz } : { v, g: 0, ga: 0, ps, ds }
  t.nodes.push(n)
  return n
}

/** A leaf: a parameter, an input, or a constant (a frozen state). */
export const leaf = (t: Tape, v: number): Node => node(t, v, [], [])

export const add = (t: Tape, a: Node, b: Node): Node => node(t, a.v + b.v, [a, b], [1, 1])
export const mul = (t: Tape, a: Node, b: Node): Node => node(t, a.v * b.v, [a, b], [b.v, a.v])
/** c * a for a constant c */
export const scale = (t: Tape, a: Node, c: number): Node => node(t, c * a.v, [a], [c])
/** f(a), with f'(a) given */
export const unary = (t: Tape, a: Node, f: number, df: number): Node => node(t, f, [a], [df])

/** sum_i xs[i] ws[i] (+ b): one node, however long the sum. */
export const dot = (t: Tape, xs: ReadonlyArray<Node>, ws: ReadonlyArray<Node>, b?: Node): Node => {
  let s = b ? b.v : 0
  for (let i = 0; i < xs.length; i++) s += xs[i]!.v * ws[i]!.v
  const ps = b ? [...xs, ...ws, b] : [...xs, ...ws]
  const ds = [...ws.map((w) => w.v), ...xs.map((x) => x.v), ...(b ? [1] : [])]
  return node(t, s, ps, ds)
}

/** sum of nodes */
export const sum = (t: Tape, xs: ReadonlyArray<Node>): Node =>
  node(
    t,
    xs.reduce((s, x) => s + x.v, 0),
    xs,
    xs.map(() => 1),
  )

// backward ---------------------------------------------------------------------

/** Sets every node's g to dL/d(node) for L = root, and ga to the same sum of products taken in absolute values. */
export const backward = (t: Tape, root: Node): void => {
  for (const n of t.nodes) n.g = n.ga = 0
  root.g = root.ga = 1
  for (let i = t.nodes.length - 1; i >= 0; i--) {
    const n = t.nodes[i]!
    if (n.ga === 0) continue
    for (let k = 0; k < n.ps.length; k++) {
      const p = n.ps[k]!, d = n.ds[k]!
      p.g += d * n.g
      p.ga += (n.sz ? n.sz[k]! : Math.abs(d)) * n.ga
    }
  }
}

export const values = (xs: ReadonlyArray<Node>): Float64Array => Float64Array.from(xs, (x) => x.v)
export const grads = (xs: ReadonlyArray<Node>): Float64Array => Float64Array.from(xs, (x) => x.g)
export const gradSizes = (xs: ReadonlyArray<Node>): Float64Array => Float64Array.from(xs, (x) => x.ga)
