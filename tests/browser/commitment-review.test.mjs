// Browser test: review before publishing. UCL's partner proposes a
// commitment on a 375 px phone; the public does not see it; staff find it
// from "My work", are told what is missing when they decide with blanks,
// and decline it with a note, which the partner then reads on their
// organisation's page. An administrator puts the staff member in a team.
// Every page and state is axe-core clean and no wider than the phone.
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

const phone = { bypassCSP: true, viewport: { width: 375, height: 800 } }
const note = 'Research places are full this year: could you advocate instead?'

test('a partner proposes, staff decline with a note, and the partner reads it', async () => {
  const partnerContext = await browser.newContext(phone)
  const partner = await partnerContext.newPage()
  await signIn(partner, 'partner.ucl@demo.placeweave.invalid')
  await partner.goto(base + '/commitments/new?organisation=ucl')
  await assertAccessible(partner, 'new commitment form, as a partner')
  await partner.selectOption('#role', 'research-learning-evaluation')
  await partner.selectOption('#mission', 'eat-well')
  await partner.click('main form button[type=submit]')
  assert.match(await partner.locator('.govuk-notification-banner--success').innerText(), /Proposal sent to the partnership team/)
  assert.match(await partner.locator('main').innerText(), /Awaiting review/)
  await assertAccessible(partner, 'the organisation page with the proposal')

  const publicContext = await browser.newContext(phone)
  const visitor = await publicContext.newPage()
  await visitor.goto(base + '/organisations/ucl')
  assert.doesNotMatch(await visitor.locator('main').innerText(), /Awaiting review/)
  await publicContext.close()

  const staffContext = await browser.newContext(phone)
  const staff = await staffContext.newPage()
  await signIn(staff, emailOf('staff'))
  await staff.goto(base + '/')
  await staff.click('a[href="/commitments/proposals"]')
  await assertAccessible(staff, 'proposed commitments')
  const row = staff.locator('main tbody tr', { hasText: 'University College London' })
  await row.locator('a', { hasText: 'Review' }).click()
  await assertAccessible(staff, 'review form')
  await staff.click('main form button[type=submit]')
  const summary = staff.locator('.govuk-error-summary')
  assert.equal(await summary.locator('a[href="#decision"]').count(), 1)
  await assertAccessible(staff, 'review form with errors')
  await staff.check('#decision-decline')
  await staff.click('main form button[type=submit]')
  assert.equal(await summary.locator('a[href="#note"]').count(), 1, 'declining needs a note')
  await staff.fill('#note', note)
  await staff.click('main form button[type=submit]')
  assert.match(await staff.locator('.govuk-notification-banner--success').innerText(), /Proposal declined/)
  await assertAccessible(staff, 'proposals after a decision')
  await staffContext.close()

  await partner.goto(base + '/organisations/ucl')
  const main = await partner.locator('main').innerText()
  assert.match(main, /Declined/)
  assert.ok(main.includes(note), 'the partner reads the note')
  await assertAccessible(partner, 'the organisation page with the declined proposal')
  await partnerContext.close()
})

test('an administrator puts a staff member in a team', async () => {
  const context = await browser.newContext(phone)
  const page = await context.newPage()
  await signIn(page, emailOf('admin'))
  await page.goto(base + '/admin/users')
  const row = page.locator('main tbody tr', { hasText: emailOf('staff') })
  await row.locator('a', { hasText: 'Change' }).click()
  await assertAccessible(page, 'team form')
  await page.fill('#team', 'x'.repeat(81))
  await page.click('main form button[type=submit]')
  assert.equal(await page.locator('.govuk-error-summary a[href="#team"]').count(), 1)
  await assertAccessible(page, 'team form with an error')
  await page.fill('#team', 'Inclusive economy')
  await page.click('main form button[type=submit]')
  assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Team saved/)
  assert.match(await page.locator('main tbody tr', { hasText: emailOf('staff') }).innerText(), /Inclusive economy/)
  await context.close()
})
