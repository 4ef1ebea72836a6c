// Builds the front end into the folder given as the first argument (the web
// crate's build script passes its OUT_DIR), from packages pinned in
// package-lock.json. Nothing built is committed.
import { mkdirSync, copyFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// The first argument is the build folder: public assets go into assets/,
// data the server embeds (not served) beside it.
const build = process.argv[2] || join(root, 'target', 'frontend')
const out = join(build, 'assets')
mkdirSync(out, { recursive: true })

const css = sass.compile(join(root, 'frontend/src/app.scss'), {
  loadPaths: [join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import']
})
writeFileSync(join(out, 'app.css'), css.css)

await esbuild.build({
  // The network map's script is loaded only by the map pages.
  entryPoints: [join(root, 'frontend/src/app.mjs'), join(root, 'frontend/src/map.mjs')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  // The organisation picker is loaded only by pages that have one.
  splitting: true,
  outdir: out,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning'
})

// The map's layout worker: one classic script, no imports to resolve.
await esbuild.build({
  entryPoints: [join(root, 'frontend/src/map-worker.mjs')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  outfile: join(out, 'map-worker.js'),
  logLevel: 'warning'
})

copyFileSync(join(root, 'frontend/src/favicon.svg'), join(out, 'favicon.svg'))
// The common-password list the server refuses (zxcvbn's list of the 30,000
// most used passwords); only those long enough to pass the length rule.
const require = createRequire(import.meta.url)
const { passwords } = require('zxcvbn/lib/frequency_lists.js')
writeFileSync(join(build, 'common-passwords.txt'), passwords.filter(p => p.length >= 8).join('\n') + '\n')

console.log(`front end built into ${build}`)
