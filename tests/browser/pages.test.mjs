// Browser tests: Debian's Chromium driven by playwright-core. Every public
// page loads, shows the seed facts, and axe-core finds no violations on it.
// The script scripts/test starts the demo server and sets PLACEWEAVE_URL.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
const axePath = require.resolve('axe-core/axe.min.js')
const base = process.env.PLACEWEAVE_URL
if (!base) throw new Error('PLACEWEAVE_URL is not set: run the browser tests through scripts/test')

const pages = [
  ['/', 'Camden partnerships', ['everyone eats well every day', 'In numbers']],
  ['/missions', 'Missions', ['By 2030, Camden\'s estates and their neighbourhoods are healthy']],
  ['/missions/youth-opportunity', 'Youth economic opportunity', ['AI Campus', 'Demonstration record']],
  ['/offer', 'Collaboration offer', ['Recognition of action', 'Research, learning & evaluation']],
  ['/organisations', 'Organisations', ['University College London (UCL)', 'Phoenix Court Works']],
  ['/organisations?kind=cultural&per_page=2', 'Organisations', ['British Museum']],
  ['/organisations/central-saint-martins', 'Central Saint Martins (University of the Arts London)', ['Public Collaboration Lab']],
  ['/initiatives', 'Initiatives', ['We Make Camden Kit', 'Good Work Camden']],
  ['/initiatives/we-make-camden-summit', 'We Make Camden Summit', ['Wellcome Collection', 'Host']],
  ['/open-data', 'Open data', ['Open Government Licence v3.0', 'Commitments']],
  ['/network', 'The partnership network', ['Single points of failure', 'Youth economic opportunity', 'Gap']],
  ['/organisations?kind=spaceship', 'Organisations', ['There is a problem']],
  ['/search?q=camden', 'Search', ['results for', 'Organisations (']],
  ['/search?q=camden&kind=planets', 'Search', ['There is a problem']],
  ['/no-such-page', 'Page not found', []]
]

let browser
before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
  })
})
after(async () => { await browser?.close() })

async function axeViolations (page) {
  await page.addScriptTag({ path: axePath })
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)
  })
}

for (const [path, heading, texts] of pages) {
  test(`${path} loads, shows its facts and passes axe-core`, async () => {
    // bypassCSP lets the test inject axe-core; the app itself never needs inline script.
    const context = await browser.newContext({ bypassCSP: true })
    const page = await context.newPage()
    const errors = []
    page.on('pageerror', e => errors.push(String(e)))
    const response = await page.goto(base + path)
    const expectedStatus = /spaceship|planets/.test(path) ? 400 : path === '/no-such-page' ? 404 : 200
    assert.equal(response.status(), expectedStatus)
    assert.match(await page.locator('h1').innerText(), new RegExp(heading.replace(/[()]/g, '\\$&')))
    const body = await page.locator('body').innerText()
    for (const text of texts) assert.ok(body.includes(text), `${path} should show ${text}`)
    assert.deepEqual(await axeViolations(page), [])
    assert.deepEqual(errors, [], 'no script errors')
    assert.ok(await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported')))
    await context.close()
  })
}

test('the directory filters work without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto(base + '/organisations')
  // The results come first; the filters wait behind a disclosure.
  assert.equal(await page.locator('#kind').isVisible(), false)
  await page.click('.app-filters summary')
  await page.selectOption('#kind', 'university')
  await page.fill('#q', 'london')
  await page.click('.app-filters button[type=submit]')
  assert.match(page.url(), /kind=university/)
  const results = await page.locator('main ul.app-directory li').allInnerTexts()
  assert.equal(results.length, 3)
  assert.ok(results.every(r => /London/.test(r)))
  await context.close()
})

test('a newcomer finds an organisation from the search box in the header, on a phone and without JavaScript', async () => {
  for (const options of [{ viewport: { width: 375, height: 740 } }, { javaScriptEnabled: false }]) {
    const context = await browser.newContext({ bypassCSP: true, ...options })
    const page = await context.newPage()
    await page.goto(base + '/missions')
    await page.fill('#header-search', 'roundh')
    await page.press('#header-search', 'Enter')
    await page.waitForURL(/\/search\?q=roundh/)
    assert.match(await page.locator('[role=status]').innerText(), /result/)
    assert.ok(await page.locator('.app-search__results mark').count() > 0, 'matched words are marked')
    if (options.javaScriptEnabled !== false) {
      assert.deepEqual(await axeViolations(page), [], 'the results page passes axe-core')
    }
    await page.locator('.app-search__results a', { hasText: 'Roundhouse' }).first().click()
    await page.waitForURL(/\/organisations\/roundhouse$/)
    assert.match(await page.locator('h1').innerText(), /Roundhouse/)
    await context.close()
  }
})

test('the menu collapses on a small screen and opens with JavaScript', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } })
  const page = await context.newPage()
  await page.goto(base + '/')
  const toggle = page.locator('.govuk-service-navigation__toggle')
  await toggle.waitFor({ state: 'visible' })
  assert.equal(await page.locator('#navigation').isVisible(), false)
  await toggle.click()
  assert.equal(await page.locator('#navigation').isVisible(), true)
  await context.close()
})
