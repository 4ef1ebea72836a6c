// Browser test: the network map. Search finds an organisation and its
// details panel takes the focus; a filter narrows the map; the table
// alternative is there without JavaScript; axe-core finds nothing on the
// map page, the embed and the tables; at 375 px nothing scrolls sideways;
// only the embed may be framed by another site. Sigma draws with WebGL:
// where headless Chromium has none (--disable-gpu and no SwiftShader), the
// page says so and everything but the drawing is still tested.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { base, launch, axeViolations } from './support.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// A page whose CSP lets axe-core's script in (as the other tests do).
async function newPage (options = {}) {
  const context = await browser.newContext({ bypassCSP: true, ...options })
  return context.newPage()
}

// Opens a map page and waits until its script has drawn (or found no WebGL).
async function openMap (page, path) {
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  await page.goto(base + path)
  await page.waitForSelector('[data-app-map][data-app-map-state]', { timeout: 20000 })
  const state = await page.getAttribute('[data-app-map]', 'data-app-map-state')
  return { state, errors }
}

test('search, filters and the details panel work, and axe-core is clean', async (t) => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } })
  const { state, errors } = await openMap(page, '/network/map')
  t.diagnostic(`map state: ${state}`)
  const doc = await page.evaluate(async (url) => (await fetch(url)).json(), '/api/v1/places/camden/network/map')
  const total = doc.organisations.length
  assert.ok(total > 10)
  assert.match(await page.textContent('[data-app-map-status]'), new RegExp(`Showing ${total} of ${total} organisations`))
  assert.equal(await page.isVisible('[data-app-map-fallback]'), false)
  if (state !== 'no-webgl') {
    // Sigma's canvases are in the map's box.
    assert.ok(await page.locator('[data-app-map-canvas] canvas').count() > 0)
  }

  // Search for the best-linked organisation by part of its name.
  const best = doc.organisations.reduce((a, b) => (b.degree > a.degree ? b : a))
  await page.fill('#map-search', best.name)
  await page.click('[data-app-map-search] button[type=submit]')
  const heading = page.locator('#map-details-heading a')
  await heading.waitFor()
  assert.equal(await heading.textContent(), best.name)
  assert.equal(await heading.getAttribute('href'), `/organisations/${best.id}`)
  assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-app-map-details')), true)
  // Its neighbours are listed and lead on, by keyboard.
  const neighbour = page.locator('[data-app-map-details] .app-map__choice').first()
  const next = await neighbour.textContent()
  await neighbour.focus()
  await page.keyboard.press('Enter')
  await page.waitForFunction((name) => document.querySelector('#map-details-heading a')?.textContent === name, next)

  // A search that matches several offers a choice of them.
  await page.fill('#map-search', 'a')
  await page.click('[data-app-map-search] button[type=submit]')
  assert.ok(await page.locator('[data-app-map-matches] .app-map__choice').count() > 1)
  await page.fill('#map-search', 'no organisation is called this')
  await page.click('[data-app-map-search] button[type=submit]')
  assert.match(await page.textContent('[data-app-map-matches]'), /No organisation on the map/)

  // Filter by kind: the count is that kind's.
  const kind = doc.kinds[0]
  await page.selectOption('#map-kind', kind.id)
  const ofKind = doc.organisations.filter(o => o.kind === kind.id).length
  assert.match(await page.textContent('[data-app-map-status]'), new RegExp(`Showing ${ofKind} of ${total}`))
  // And a mission: only those committed to it (of that kind).
  const mission = doc.missions[0]
  await page.selectOption('#map-mission', mission.id)
  const both = doc.organisations.filter(o => o.kind === kind.id && o.missions.includes(mission.id)).length
  assert.match(await page.textContent('[data-app-map-status]'), new RegExp(`Showing ${both} of ${total}`))
  await page.selectOption('#map-kind', '')
  await page.selectOption('#map-mission', '')

  // Colour by kind: the legend names the kinds.
  await page.selectOption('#map-colour', 'kind')
  const legend = await page.textContent('[data-app-map-legend]')
  for (const k of doc.kinds.slice(0, 3)) assert.ok(legend.includes(k.name), legend)
  await page.selectOption('#map-size', 'betweenness')

  assert.deepEqual(await axeViolations(page), [])
  assert.deepEqual(errors.filter(e => !/WebGL/i.test(e)), [])
  if (state !== 'no-webgl') {
    // ForceAtlas2 runs in its worker and finishes.
    await page.waitForSelector('[data-app-map][data-app-map-state="laid-out"]', { timeout: 60000 })
  }
  await page.close()
})

test('the map and the embed are usable at 375 px and clean for axe-core', async () => {
  for (const path of ['/network/map', '/embed/map']) {
    const page = await newPage({ viewport: { width: 375, height: 800 } })
    await openMap(page, path)
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)
    assert.equal(sideways, false, `${path} scrolls sideways at 375 px`)
    await page.fill('#map-search', 'Camden')
    await page.click('[data-app-map-search] button[type=submit]')
    await page.waitForSelector('#map-details-heading a, [data-app-map-matches] li')
    assert.deepEqual(await axeViolations(page), [], path)
    await page.close()
  }
})

test('without JavaScript the map pages point to the tables, which pass axe-core', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  for (const path of ['/network/map', '/embed/map']) {
    await page.goto(base + path)
    assert.equal(await page.isVisible('[data-app-map-fallback]'), true, path)
    assert.equal(await page.isVisible('[data-app-map-ui]'), false, path)
    assert.equal(await page.getAttribute('[data-app-map-fallback] a', 'href'), '/network')
  }
  await context.close()
  const tables = await newPage()
  await tables.goto(base + '/network')
  assert.deepEqual(await axeViolations(tables), [])
  await tables.close()
})

test('another site may frame the embed and nothing else', async (t) => {
  // Without bypassCSP: frame-ancestors is what is tested.
  const page = await browser.newPage()
  // A partner's page on another origin: a server of the test's own on
  // loopback, named `localhost` where the map is `127.0.0.1` (a data: URL
  // would not do, `*` matching only network schemes; nor would a faked
  // response, which Chromium's private network rules take as public).
  const partner = createServer((_, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' })
    response.end(`<!DOCTYPE html><title>Partner</title><iframe id=a src="${base}/embed/map"></iframe><iframe id=b src="${base}/network/map"></iframe>`)
  })
  await new Promise((resolve) => partner.listen(0, '127.0.0.1', resolve))
  t.after(() => partner.close())
  await page.goto(`http://localhost:${partner.address().port}/`)
  const embed = await (await page.$('#a')).contentFrame()
  await embed.waitForSelector('h1', { state: 'attached', timeout: 20000 })
  assert.match(await embed.textContent('h1'), /Partnership network/)
  const refused = await (await page.$('#b')).contentFrame()
  await page.waitForTimeout(1000)
  assert.equal(await refused.$('[data-app-map]'), null, '/network/map must not be framed')
  await page.close()
})
