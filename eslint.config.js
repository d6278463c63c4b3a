// ESLint over src/, run by test/style/lint.test.ts in `npm test` (or
// `npm run lint`): typescript-eslint's recommended checks, a few of STYLE.md's
// habits, and the import floors (issue 10, item 4): a folder imports only
// folders on lower floors, so the house reads bottom up and a change to an
// upper floor cannot break a lower one.
//
// Syntax only, no type information: the type-aware rule sets took 4-5 times as
// long here (17-30 s against 4-6 s for src/ on 2 busy cores), and tsc --strict
// already runs in `npm test`.
import js from '@eslint/js'
import boundaries from 'eslint-plugin-boundaries'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

// The floors, lowest first. A folder may import every folder on a lower floor,
// or, where `imports` is given, only those. `kernels` is build/, the compiled
// Wasm, which only the loader and the entries embed.
const floors = [
  { floor: 1, folders: ['core'], imports: [] },
  { floor: 2, folders: ['trace', 'data'], imports: ['core'] },
  { floor: 2, folders: ['wasm'], imports: ['core', 'kernels'] },
  { floor: 3, folders: ['plan'], imports: ['core', 'trace', 'wasm'] },
  { floor: 4, folders: ['optim', 'loss'] },
  { floor: 5, folders: ['layer'] },
  { floor: 6, folders: ['combinator'] },
  { floor: 7, folders: ['model'] },
  { floor: 8, folders: ['train'] },
  { floor: 8, folders: ['rbm'] }, // RBMs (#11): plan, wasm, core, trace and the default runtime (model)
  { floor: 9, folders: ['codec'] },
  { floor: 9, folders: ['report'], imports: ['core', 'trace'] },
  // diagnose's labelled suite (issue 15): trains nets as a user would, so above train
  { floor: 9, folders: ['suite'] },
  { floor: 10, folders: ['experiments'] },
  { floor: 11, folders: ['cli'] },
  { floor: 12, folders: ['entries'], also: ['kernels'] },
]
const below = (floor) => floors.filter((f) => f.floor < floor).flatMap((f) => f.folders)
const policies = floors.flatMap(({ floor, folders, imports, also = [] }) =>
  folders.map((folder) => ({
    from: { element: { type: folder } },
    allow: { to: { element: { types: { anyOf: [...(imports ?? below(floor)), ...also] } } } },
  })),
)
const elements = [
  ...floors.flatMap((f) => f.folders).map((folder) => ({ type: folder, pattern: `src/${folder}`, partialMatch: false })),
  { type: 'kernels', pattern: 'build', partialMatch: false },
]

export default defineConfig(
  // generated data (digits.generated.ts): nothing to check, and a tenth of the parse time
  { ignores: ['src/**/*.generated.ts'] },
  {
    files: ['src/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { boundaries },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    settings: {
      'boundaries/elements': elements,
      'import/resolver': { node: { extensions: ['.ts', '.d.ts', '.js'] } },
    },
    rules: {
      // every import between two floors is checked, and every file is on a floor
      'boundaries/dependencies': ['error', { default: 'disallow', checkUnknownLocals: true, policies }],
      'boundaries/no-unknown-files': 'error',
      // a type-only import says so (it is erased, and cannot pull a module in at run time)
      '@typescript-eslint/consistent-type-imports': 'error',
      // STYLE: ReadonlyArray<A> in its generic form
      '@typescript-eslint/array-type': ['error', { default: 'array-simple', readonly: 'generic' }],
      '@typescript-eslint/no-shadow': ['error', { allow: ['_'] }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // STYLE: randomness only from explicit Key arguments; no classes, errors included
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'randomness comes from a Key argument (core/Key)' }],
      'no-restricted-syntax': ['error', { selector: 'ClassDeclaration, ClassExpression', message: 'no classes: data are interfaces, behaviour is functions' }],
    },
  },
)
