/**
 * The IDX format of MNIST and Fashion-MNIST, parsed from bytes with no Node
 * API, so it runs in browsers and edge runtimes too. An IDX file is a
 * big-endian header — `0x00 0x00`, an element type (`0x08` = unsigned byte),
 * the number of dimensions, then one u32 per dimension — followed by the
 * elements. Image files have magic `0x00000803` (count, rows, cols), label
 * files `0x00000801` (count). `decodeIdx` gunzips first when the bytes start
 * with the gzip magic `0x1f 0x8b`, using `DecompressionStream('gzip')`
 * (Node ≥ 18, browsers, Cloudflare Workers). Every problem is a `Left`
 * naming the file and what is wrong.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { parseIdx } from './idx'
 * // magic 0x00000801 (unsigned bytes, 1 dimension), 2 items, then the labels 7 and 3
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 3])
 * assert.deepStrictEqual(parseIdx('labels.idx', bytes, 'labels'), E.right({ dims: [2], data: new Uint8Array([7, 3]) }))
 * assert.ok(E.isLeft(parseIdx('labels.idx', bytes.subarray(0, 9), 'labels'))) // one label short
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { decodeError, type GradtraceError } from '../core/Error'
import type { Dataset } from './Dataset'

// model

/** The contents of an IDX file of unsigned bytes. @category model */
export interface Idx {
  /** e.g. [60000, 28, 28] for images, [60000] for labels */
  readonly dims: ReadonlyArray<number>
  /** the elements, row-major */
  readonly data: Uint8Array
}

/** What a file should hold: `'images'` (magic 0x00000803) or `'labels'` (0x00000801). @category model */
export type IdxKind = 'images' | 'labels'

/** A train/test pair. @category model */
export interface TrainTest {
  readonly train: Dataset
  readonly test: Dataset
}

/** The four files of an MNIST-style data set, as bytes (raw or gzipped). @category model */
export interface IdxFiles {
  readonly trainImages: Uint8Array
  readonly trainLabels: Uint8Array
  readonly testImages: Uint8Array
  readonly testLabels: Uint8Array
}

/** File names of MNIST and Fashion-MNIST, as published (gzipped). @category utils @since 0.1.0 */
export const fileNames = Object.freeze({
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const)

// utils

/** True when the bytes start with the gzip magic 0x1f 0x8b. @category utils @since 0.1.0 */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`
const u32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0

const describe = (dims: ReadonlyArray<number>, kind: IdxKind | undefined): string =>
  kind === 'images' && dims.length === 3
    ? `${dims[0]} images of ${dims[1]}x${dims[2]}`
    : kind === 'labels' && dims.length === 1
      ? `${dims[0]} labels`
      : `dims ${dims.join('x')}`

// constructors

/**
 * Parses an uncompressed IDX file of unsigned bytes. With `kind`, the magic
 * number must be that of image (0x00000803) or label (0x00000801) files.
 * `name` names the file in errors. The data is copied.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parseIdx = (name: string, bytes: Uint8Array, kind?: IdxKind): E.Either<GradtraceError, Idx> => {
  const fail = (message: string) => E.left(decodeError(name, message))
  if (isGzip(bytes)) return fail('gzip-compressed: decode it with decodeIdx (async) or gunzip it first')
  if (bytes.length < 4) return fail(`truncated: ${bytes.length} bytes, less than the 4-byte magic number`)
  const magic = u32(bytes, 0)
  const want = kind === 'images' ? 0x803 : kind === 'labels' ? 0x801 : undefined
  if (want !== undefined && magic !== want) return fail(`wrong magic number ${hex(magic)}: expected ${hex(want)} (unsigned-byte ${kind})`)
  if (magic >>> 16 !== 0) return fail(`wrong magic number ${hex(magic)}: not an IDX file (IDX files start with 0x0000)`)
  if (bytes[2] !== 0x08) return fail(`element type 0x${bytes[2]!.toString(16).padStart(2, '0')} is not supported (only 0x08, unsigned byte)`)
  const ndim = bytes[3]!
  if (ndim === 0) return fail('wrong magic number: 0 dimensions')
  const start = 4 + 4 * ndim
  if (bytes.length < start) return fail(`truncated: a header of ${ndim} dimensions needs ${start} bytes, file has ${bytes.length}`)
  const dims = Array.from({ length: ndim }, (_, i) => u32(bytes, 4 + 4 * i))
  const need = dims.reduce((a, b) => a * b, 1)
  const have = bytes.length - start
  if (have < need) return fail(`truncated: header says ${describe(dims, kind)} = ${need} bytes, file has ${have}`)
  if (have > need) return fail(`${have - need} bytes after the data: header says ${describe(dims, kind)} = ${need} bytes, file has ${have}`)
  return E.right({ dims, data: new Uint8Array(bytes.subarray(start)) }) // a copy, and a plain Uint8Array even from a Node Buffer
}

/**
 * Gunzips with the web-standard `DecompressionStream`.
 *
 * @category utils
 * @since 0.1.0
 */
export const gunzip = async (bytes: Uint8Array): Promise<Uint8Array> => {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/**
 * Parses an IDX file, gunzipping it first if it starts with 0x1f 0x8b.
 *
 * @category constructors
 * @since 0.1.0
 */
export const decodeIdx = async (name: string, bytes: Uint8Array, kind?: IdxKind): Promise<E.Either<GradtraceError, Idx>> => {
  if (!isGzip(bytes)) return parseIdx(name, bytes, kind)
  try {
    return parseIdx(name, await gunzip(bytes), kind)
  } catch (e) {
    return E.left(decodeError(name, `not valid gzip: ${e instanceof Error ? e.message : String(e)}`))
  }
}

/**
 * A data set from an image file and a label file: `x` is (n, rows·cols) with
 * bytes divided by 255 into [0, 1], `y` the labels, which must lie in
 * `[0, classes)`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const toDataset = (
  name: string,
  images: { readonly name: string; readonly idx: Idx },
  labels: { readonly name: string; readonly idx: Idx },
  classes = 10,
): E.Either<GradtraceError, Dataset> => {
  const [n = 0, rows = 0, cols = 0] = images.idx.dims
  if (images.idx.dims.length !== 3)
    return E.left(decodeError(images.name, `images need 3 dimensions (count, rows, cols), header has ${images.idx.dims.length}`))
  if (labels.idx.dims.length !== 1) return E.left(decodeError(labels.name, `labels need 1 dimension, header has ${labels.idx.dims.length}`))
  if (labels.idx.dims[0] !== n) return E.left(decodeError(labels.name, `label count ${labels.idx.dims[0]} ≠ image count ${n} in ${images.name}`))
  const bad = labels.idx.data.findIndex((c) => c >= classes)
  if (bad >= 0) return E.left(decodeError(labels.name, `label ${labels.idx.data[bad]} at index ${bad} is not below ${classes}`))
  const x = new Float32Array(images.idx.data.length)
  for (let i = 0; i < x.length; i++) x[i] = images.idx.data[i]! / 255
  return E.right({ x, y: Int32Array.from(labels.idx.data), shape: [rows * cols], classes, name })
}

/**
 * Train and test sets from the four files' bytes (raw or gzipped), for
 * example fetched in a browser. `prefix` names the files in errors.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromIdxFiles = async (files: IdxFiles, name = 'fashion-mnist', prefix = ''): Promise<E.Either<GradtraceError, TrainTest>> => {
  const part = async (images: Uint8Array, labels: Uint8Array, imagesName: string, labelsName: string, set: string) => {
    const [i, l] = await Promise.all([decodeIdx(prefix + imagesName, images, 'images'), decodeIdx(prefix + labelsName, labels, 'labels')])
    if (E.isLeft(i)) return i
    if (E.isLeft(l)) return l
    return toDataset(`${name}/${set}`, { name: prefix + imagesName, idx: i.right }, { name: prefix + labelsName, idx: l.right })
  }
  const train = await part(files.trainImages, files.trainLabels, fileNames.trainImages, fileNames.trainLabels, 'train')
  if (E.isLeft(train)) return train
  const test = await part(files.testImages, files.testLabels, fileNames.testImages, fileNames.testLabels, 'test')
  if (E.isLeft(test)) return test
  return E.right({ train: train.right, test: test.right })
}
