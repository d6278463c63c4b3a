// The bundles (esbuild loader 'base64') and the tests (vitest plugin) import a
// .wasm file as its base64 text.
declare module '*.wasm' {
  const base64: string
  export default base64
}
