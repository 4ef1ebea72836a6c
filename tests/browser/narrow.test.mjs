// Browser test: every page reachable from the home page, for each role, at
// phone widths (320 and 375 px) and on a desktop (1280 px), fits the screen
// without sideways scrolling and has no axe-core violations.
// The crawl follows links within the site (GET only, never signing out),
// and visits at most a few pages of each shape (paths that differ only by
// a record's id), so it stays within a few minutes.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { base, launch, signIn, axeViolations } from './support.mjs'

const widths = [320, 375, 1280]
// Pages of one shape (say /organisations/<id>) visited per role.
const perShape = 2
// Pages visited per role, whatever their shape.
const perRole = 30

const roles = [
  ['anonymous', null],
  ['partner', 'partner.ucl@demo.placeweave.invalid'],
  ['staff', 'staff@demo.placeweave.invalid'],
  ['admin', 'admin@demo.placeweave.invalid']
]

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// The shape of a path: its segments with record ids replaced, so that
// /organisations/ucl and /organisations/roundhouse are one shape, while
// /organisations/new and /organisations/ucl/edit are shapes of their own.
const fixed = new Set(['new', 'edit', 'contacts', 'export', 'users', 'audit', 'people'])
function shape (url) {
  const segments = url.pathname.split('/').map((s, i) => (i < 2 || fixed.has(s) ? s : '*'))
  const keys = [...url.searchParams.keys()].sort().join('&')
  return segments.join('/') + (keys ? '?' + keys : '')
}

function followable (href) {
  let url
  try { url = new URL(href, base) } catch { return null }
  if (url.origin !== new URL(base).origin) return null
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/assets/')) return null
  if (url.pathname === '/sign-out' || url.pathname.startsWith('/invite/')) return null
  if (url.pathname.endsWith('/export')) return null
  // The network's downloads (GraphML, GEXF, CSV, Kumu JSON) are files, not pages.
  if (url.pathname.startsWith('/network/')) return null
  // So are the open-data downloads of every list.
  if (/\.(csv|json|atom)$/.test(url.pathname)) return null
  url.hash = ''
  return url
}

for (const [role, email] of roles) {
  test(`every page ${role} can reach fits 320, 375 and 1280 px and passes axe-core`, async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    if (email) await signIn(page, email)
    const queue = [new URL('/', base)]
    const seen = new Set([queue[0].href])
    const shapes = new Map()
    const problems = []
    let visited = 0
    while (queue.length > 0 && visited < perRole) {
      const url = queue.shift()
      const count = shapes.get(shape(url)) || 0
      if (count >= perShape) continue
      shapes.set(shape(url), count + 1)
      visited++
      // One load a page, then the window resized: media queries apply
      // again on a resize, so the widths need no reload.
      await page.setViewportSize({ width: widths[0], height: 740 })
      const response = await page.goto(url.href)
      const status = response.status()
      if (status >= 500) problems.push(`${url.pathname}${url.search}: status ${status}`)
      for (const width of widths) {
        await page.setViewportSize({ width, height: width < 1000 ? 740 : 900 })
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth
        }))
        if (scrollWidth > innerWidth) {
          problems.push(`${url.pathname}${url.search} at ${width} px is ${scrollWidth} px wide`)
        }
        // axe-core's verdicts rarely change with the width; run it at the
        // narrowest and the widest.
        if (width !== 375) {
          for (const v of await axeViolations(page)) problems.push(`${url.pathname}${url.search} at ${width} px: ${v}`)
        }
      }
      for (const href of await page.$$eval('a[href]', links => links.map(a => a.getAttribute('href')))) {
        const next = followable(href)
        if (next && !seen.has(next.href)) {
          seen.add(next.href)
          queue.push(next)
        }
      }
    }
    assert.ok(visited >= 8, `${role} reached only ${visited} pages`)
    assert.deepEqual(problems, [], `${role}: ${visited} pages visited`)
    await context.close()
  })
}
