// Browser test: a staff member at 375 px opens the brokerage briefing on a
// demonstration partner from its relationship's page; the briefing fits
// the screen and passes axe-core, and printed (print media) it shows no
// navigation, footer, skip link or breadcrumbs, only the briefing and
// where it was printed from.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { base, launch, signIn, emailOf, axeViolations } from './support.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

test('staff open a briefing on a phone and print it without the navigation', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 800 } })
  const page = await context.newPage()
  await signIn(page, emailOf('staff'))

  await page.goto(base + '/organisations/arsenal-fc')
  await page.click('text=Brokerage briefing')
  assert.match(page.url(), /\/organisations\/arsenal-fc\/briefing$/)
  const main = await page.locator('main').innerText()
  for (const section of ['Who they are', 'The relationship', 'Recent interactions', 'Open follow-ups',
    'Current commitments and contributions', 'Asks already made', 'Suggested asks', 'Key contacts']) {
    assert.ok(main.includes(section), `the briefing has "${section}"`)
  }
  assert.deepEqual(await axeViolations(page), [], 'briefing: axe-core violations')
  const noSideways = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
  assert.ok(noSideways, 'the briefing fits 375 px')

  await page.emulateMedia({ media: 'print' })
  for (const selector of ['.govuk-service-navigation', '.govuk-footer', '.govuk-skip-link', '.govuk-breadcrumbs', '.app-header__search']) {
    const shown = await page.locator(selector).first().isVisible().catch(() => false)
    assert.equal(shown, false, `${selector} is not printed`)
  }
  assert.ok(await page.locator('main h1').isVisible(), 'the briefing is printed')
  assert.ok(await page.locator('.app-print-only').first().isVisible(), 'where it was printed from')
  const pdf = await page.pdf({ format: 'A4' })
  assert.ok(pdf.length > 1000, 'it prints on A4')
  await context.close()
})

test('a partner is told the briefing does not exist', async () => {
  const context = await browser.newContext({ bypassCSP: true })
  const page = await context.newPage()
  await signIn(page, emailOf('partner'))
  const response = await page.goto(base + '/organisations/arsenal-fc/briefing')
  assert.equal(response.status(), 404)
  await context.close()
})
