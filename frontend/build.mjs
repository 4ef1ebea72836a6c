// Builds the front end into the folder given as the first argument (the web
// crate's build script passes its OUT_DIR), from packages pinned in
// package-lock.json. Nothing built is committed.
import { mkdirSync, copyFileSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = process.argv[2] || join(root, 'target', 'frontend')
mkdirSync(out, { recursive: true })

const css = sass.compile(join(root, 'frontend/src/app.scss'), {
  loadPaths: [join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import']
})
writeFileSync(join(out, 'app.css'), css.css)

await esbuild.build({
  entryPoints: [join(root, 'frontend/src/app.mjs')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  outfile: join(out, 'app.js'),
  logLevel: 'warning'
})

copyFileSync(join(root, 'frontend/src/favicon.svg'), join(out, 'favicon.svg'))
console.log(`front end built into ${out}`)
