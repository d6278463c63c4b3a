/**
 * Node-only loaders for IDX files (MNIST, Fashion-MNIST): synchronous reads
 * with `node:fs` and `node:zlib`. Keep this module out of the browser and
 * edge bundles; `./idx` has the portable parser.
 *
 * `fashionMnist(dir)` reads the full set, by default from
 * `/usr/share/datasets/fashion-mnist` (Debian/Ubuntu:
 * `apt-get install dataset-fashion-mnist`). `fashionMnistSmall()` reads the
 * 2,000 + 500 image subset shipped in the package's `data/` folder.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { fashionMnistSmall } from './idx-node'
 * const r = fashionMnistSmall()
 * assert.ok(E.isRight(r))
 * const { train, test } = r.right // x (2000, 784) and (500, 784) in [0, 1]
 * assert.deepStrictEqual([train.y.length, test.y.length, train.shape, train.classes], [2000, 500, [784], 10])
 *
 * @since 0.1.0
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import * as E from 'fp-ts/lib/Either.js'
import { decodeError, type GradtraceError } from '../core/Error'
import { fileNames, type Idx, type IdxKind, isGzip, parseIdx, toDataset, type TrainTest } from './idx'

/** Where the Debian package dataset-fashion-mnist installs the files. @category utils @since 0.1.0 */
export const defaultFashionMnistDir = '/usr/share/datasets/fashion-mnist'

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * Reads and parses one IDX file, gunzipping it if it starts with 0x1f 0x8b.
 * A missing `x.gz` falls back to `x` (and the other way round), as some
 * distributions ship the files uncompressed.
 *
 * @category constructors
 * @since 0.1.0
 */
export const readIdxFile = (path: string, kind?: IdxKind): E.Either<GradtraceError, Idx> => {
  const alt = path.endsWith('.gz') ? path.slice(0, -3) : `${path}.gz`
  const file = existsSync(path) || !existsSync(alt) ? path : alt
  let bytes: Uint8Array
  try {
    bytes = readFileSync(file)
  } catch (e) {
    const code = (e as { code?: string }).code
    return E.left(decodeError(path, code === 'ENOENT' ? 'missing file' : `cannot read: ${message(e)}`))
  }
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes)
    } catch (e) {
      return E.left(decodeError(file, `not valid gzip: ${message(e)}`))
    }
  }
  return parseIdx(file, bytes, kind)
}

/**
 * Train (60,000) and test (10,000) sets of an MNIST-style folder holding the
 * four IDX files under their published names; `x` is (n, 784) in [0, 1].
 *
 * @category constructors
 * @since 0.1.0
 */
export const fashionMnist = (dir: string = defaultFashionMnistDir, name = 'fashion-mnist'): E.Either<GradtraceError, TrainTest> => {
  const part = (images: string, labels: string, set: string) => {
    const i = readIdxFile(join(dir, images), 'images')
    if (E.isLeft(i)) return i
    const l = readIdxFile(join(dir, labels), 'labels')
    if (E.isLeft(l)) return l
    return toDataset(`${name}/${set}`, { name: join(dir, images), idx: i.right }, { name: join(dir, labels), idx: l.right })
  }
  const train = part(fileNames.trainImages, fileNames.trainLabels, 'train')
  if (E.isLeft(train)) return train
  const test = part(fileNames.testImages, fileNames.testLabels, 'test')
  if (E.isLeft(test)) return test
  return E.right({ train: train.right, test: test.right })
}

/** The same as `fashionMnist`. @category constructors @since 0.1.0 */
export const loadFashionMnist = fashionMnist

// Candidate folders, relative to this module: from a bundle in dist/
// (dist/cli.js; the package must ship data/) first, so an installed package
// never looks outside itself, then from src/data/ (tests, ts runners).
const smallCandidates = ['../data/fashion-mnist-small/', '../../data/fashion-mnist-small/']

/**
 * The folder of the shipped Fashion-MNIST subset, if found next to this
 * module (from `src/data/`) or next to a bundle in `dist/`.
 *
 * @category utils
 * @since 0.1.0
 */
export const fashionMnistSmallDir = (): string | undefined => {
  const here = typeof import.meta.url === 'string' ? import.meta.url : undefined
  if (here === undefined) return undefined
  return smallCandidates.map((c) => fileURLToPath(new URL(c, here))).find((d) => existsSync(join(d, fileNames.trainImages)))
}

/**
 * The shipped subset: 2,000 training images (first 200 of each class) and
 * 500 test images (first 50 of each class), `x` (n, 784) in [0, 1].
 * `dir` overrides where the files are looked for.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fashionMnistSmall = (dir?: string): E.Either<GradtraceError, TrainTest> => {
  const d = dir ?? fashionMnistSmallDir()
  if (d === undefined)
    return E.left(decodeError('data/fashion-mnist-small', `missing folder: looked for ${smallCandidates.join(' and ')} relative to ${String(import.meta.url)}`))
  return fashionMnist(d, 'fashion-mnist-small')
}
