// Browser test: a member of staff at 375 px records an ask (a first try
// with blanks is refused with every field named in the GOV.UK error
// summary), sees the partners ranked for it with the reasons, records that
// the top one was asked, then records their answer. Every page and state is
// axe-core clean, and nothing is wider than the phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { base, launch, signIn, emailOf, axeViolations } from './support.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function assertAccessible (page, what) {
  assert.deepEqual(await axeViolations(page), [], `${what}: axe-core violations`)
  const wide = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(wide <= 375, `${what}: the page is ${wide} px wide on a 375 px phone`)
}

test('staff record an ask, see who fits it and why, and record the answer', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 800 } })
  const page = await context.newPage()
  await signIn(page, emailOf('staff'))

  await page.goto(base + '/asks')
  await assertAccessible(page, 'asks list')
  assert.match(await page.locator('main').innerText(), /Demonstration record/)
  await page.click('text=Record an ask')
  await assertAccessible(page, 'new ask form')

  // Blank: each missing field named, and the form kept.
  await page.fill('#unit', 'work placements')
  await page.click('main form button[type=submit]')
  const summary = page.locator('.govuk-error-summary')
  assert.match(await summary.innerText(), /Enter a title for the ask/)
  for (const field of ['title', 'mission', 'lever', 'quantity']) {
    assert.equal(await summary.locator(`a[href="#${field}"]`).count(), 1, field)
  }
  assert.equal(await page.inputValue('#unit'), 'work placements')
  await assertAccessible(page, 'new ask form with errors')

  await page.fill('#title', 'Work placements for young carers')
  await page.selectOption('#mission', 'youth-opportunity')
  await page.selectOption('#lever', 'employment')
  await page.fill('#quantity', '8')
  await page.click('main form button[type=submit]')
  assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Ask saved/)
  assert.match(await page.locator('h1').innerText(), /Work placements for young carers/)
  await assertAccessible(page, 'the ask with its ranked partners')

  // The first partner ranked, with its reasons; record that they were asked.
  const first = page.locator('#matches ~ ol > li').first()
  const name = (await first.locator('h3 a').innerText()).trim()
  assert.match(await first.innerText(), /Lever: /)
  await first.locator('text=Record that you asked').click()
  assert.equal(await page.inputValue('#organisation') !== '', true)
  await page.click('#asked-form ~ form button[type=submit]')
  assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Ask recorded/)
  const row = page.locator('#asked ~ div table tbody tr').first()
  assert.match(await row.innerText(), new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
  assert.match(await row.innerText(), /Pending/)

  // Their answer.
  await row.locator('text=Record the answer').click()
  await assertAccessible(page, 'answer form')
  await page.selectOption('#answer', 'yes')
  await page.fill('#answered_on', '2000-01-01')
  await page.click('main form button[type=submit]')
  assert.match(await page.locator('.govuk-error-summary').innerText(), /same as or after the date of the ask/)
  await assertAccessible(page, 'answer form with errors')
  await page.fill('#answered_on', new Date().toISOString().slice(0, 10))
  await page.click('main form button[type=submit]')
  assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Answer saved/)
  assert.match(await page.locator('#asked ~ div table tbody tr').first().innerText(), /Yes on/)
  await assertAccessible(page, 'the ask after the answer')
  await context.close()
})
