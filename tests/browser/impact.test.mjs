// Browser test: a partner signs in, takes up a role (proposes a commitment
// for their own organisation, not on the impact page until accepted), logs
// a contribution at 375 px and sees it on their impact page; every new page (the contributions list, one
// contribution, the log form and its errors, the impact page, the mission
// page's contributions) is axe-core clean.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { base, launch, signIn, axeViolations } from './support.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function assertAccessible (page, what) {
  assert.deepEqual(await axeViolations(page), [], `${what}: axe-core violations`)
}

// A measure no demonstration record uses, so the total is ours alone.
const QUANTITY = '4321'

test('a partner takes up a role, logs a contribution and sees it on their impact page', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 800 } })
  const page = await context.newPage()
  await signIn(page, 'partner.ucl@demo.placeweave.invalid')

  // Taking up a role: a commitment for UCL, the partner's own organisation.
  await page.goto(base + '/commitments/new')
  await page.selectOption('#role', 'sponsorship')
  await page.selectOption('#mission', 'youth-opportunity')
  await page.check('input[name=status][value=proposed]')
  await page.click('main form button[type=submit]')
  // A partner's commitment goes to the partnership team for review first.
  assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Proposal sent to the partnership team/)

  // The log form: its errors first, named in a GOV.UK error summary.
  await page.goto(base + '/contributions/new')
  await assertAccessible(page, 'log form')
  // As served (before the autocomplete takes over the list), the only
  // organisation offered is the partner's own, already chosen.
  const served = await (await page.request.get(base + '/contributions/new')).text()
  const list = served.slice(served.indexOf('name="organisation"'), served.indexOf('</select>', served.indexOf('name="organisation"')))
  const offered = [...list.matchAll(/<option value="([^"]+)"/g)].map(m => m[1])
  assert.deepEqual(offered, ['ucl'], 'a partner logs for their own organisation only')
  assert.match(list, /value="ucl" selected/)
  await page.click('main form button[type=submit]')
  const summary = await page.locator('.govuk-error-summary').innerText()
  assert.match(summary, /Select the mission/)
  assert.match(summary, /Enter the quantity/)
  await assertAccessible(page, 'log form with errors')

  await page.selectOption('#mission', 'youth-opportunity')
  await page.selectOption('#measure', 'other')
  await page.fill('#quantity', QUANTITY)
  await page.selectOption('#unit', 'hours')
  await page.fill('#start_date', '1')
  await page.fill('#start_date-month', '9')
  await page.fill('#start_date-year', '2019')
  await page.fill('#end_date', '30')
  await page.fill('#end_date-month', '9')
  await page.fill('#end_date-year', '2019')
  await page.fill('#description', 'Mentoring by research staff')
  await page.check('input[name=audience][value=public]')
  await page.click('main form button[type=submit]')
  assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Contribution saved/)
  assert.match(await page.locator('h1').innerText(), /4,321 hours/)
  await assertAccessible(page, 'a contribution')
  const noSideways = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
  assert.ok(noSideways, 'the contribution fits 375 px')

  // The impact page shows the contribution's total; the commitment is
  // still a proposal, so the page (printed for the board) leaves it out
  // until the partnership team accepts it.
  await page.goto(base + '/organisations/ucl/impact')
  const impact = await page.locator('main').innerText()
  assert.match(impact, /Committed/)
  assert.doesNotMatch(impact, /Sponsorship/i)
  assert.match(impact, /4,321 hours/)
  await assertAccessible(page, 'impact page')
  await context.close()
})

test('the contributions list and the mission page are accessible to the public', async () => {
  const context = await browser.newContext({ bypassCSP: true })
  const page = await context.newPage()
  for (const path of ['/contributions', '/contributions?by=ward', '/contributions?by=year&mission=youth-opportunity',
    '/organisations/roundhouse/impact', '/missions/youth-opportunity']) {
    const response = await page.goto(base + path)
    assert.equal(response.status(), 200, path)
    await assertAccessible(page, path)
  }
  const mission = await page.locator('main').innerText()
  assert.match(mission, /Contributions in \d{4} against \d{4}/)
  await page.goto(base + '/contributions')
  assert.match(await page.locator('main').innerText(), /Demonstration record/)
  await context.close()
})
