// `import text from './file?raw'`: the file's content as a string. Vitest serves it natively;
// scripts/build.mjs inlines it into the bundle, so the agent needs no files beside it.
declare module '*?raw' {
  const text: string;
  export default text;
}
