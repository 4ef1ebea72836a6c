// Browser test: the partnership team's daily work on a phone. A staff
// member at 375 px opens the pipeline and a relationship, logs an
// interaction with a follow-up (first with a mistake, then right), sees it
// overdue on "My work" and marks it done. Every page and state on the way
// fits the screen and passes axe-core (which needs JavaScript); the same
// log is then made again without JavaScript, as the forms must work so.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { base, launch, signIn, emailOf, axeViolations } from './support.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function check (page, what, problems, axe = true) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth
  }))
  if (scrollWidth > innerWidth) problems.push(`${what} is ${scrollWidth} px wide at ${innerWidth} px`)
  if (axe) for (const v of await axeViolations(page)) problems.push(`${what}: ${v}`)
}

// From the pipeline to a completed follow-up; axe-core on every page and
// state when JavaScript runs.
async function logAndComplete (page, problems, axe) {
  const mode = axe ? 'with JavaScript' : 'without JavaScript'
  await page.goto(base + '/relationships')
  assert.equal(await page.locator('h1').innerText(), 'Relationships')
  await check(page, `the pipeline ${mode}`, problems, axe)
  // With JavaScript the pipeline opens as a board, without it as tables.
  await page.locator('main :is(table, .app-board) a[href^="/relationships/"]:visible').first().click()
  await check(page, `a relationship ${mode}`, problems, axe)
  const partner = await page.locator('h1').innerText()

  await page.click('text=Log an interaction')
  assert.match(page.url(), /\/interactions\/new\?organisation=/)
  await check(page, `the logging form ${mode}`, problems, axe)
  // A follow-up's owner without the follow-up itself is named in the summary.
  await page.check('#kind-call')
  await page.selectOption('#follow_up_owner', { index: 1 })
  await page.click('main form button[type=submit]')
  const summary = page.locator('.govuk-error-summary')
  assert.equal(await summary.count(), 1, 'an error summary')
  assert.match(await summary.innerText(), /follow-up action/i)
  await check(page, `the logging form with an error ${mode}`, problems, axe)

  // The follow-up is the signed-in staff member's own, so it is on "My work".
  await page.selectOption('#follow_up_owner', { label: 'Demo staff member' })
  // Another organisation took part (a row of the organisations control).
  if (axe) {
    const input = page.locator('input#other_organisations[role="combobox"]')
    await input.fill('Knowledge Q')
    await page.locator('.autocomplete__option', { hasText: 'Knowledge Quarter' }).first().click()
  } else {
    await page.selectOption('#other_organisations', { label: 'Knowledge Quarter' })
  }
  await page.fill('#summary', 'Talked through the ambassador role')
  await page.fill('#follow_up', 'Send the summit invitation')
  await page.fill('#follow_up_due', '5')
  await page.fill('#follow_up_due-month', '1')
  await page.fill('#follow_up_due-year', '2026')
  await page.click('main form button[type=submit]')
  assert.match(page.url(), /\/interactions\/\d+\?saved=interaction/)
  assert.equal(await page.locator('h1').innerText(), partner)
  assert.equal(await page.locator('.govuk-tag', { hasText: 'Overdue' }).count(), 1, 'overdue')
  assert.match(await page.locator('main .govuk-summary-list').innerText(), /Other organisations\s+Knowledge Quarter/)
  await check(page, `the interaction ${mode}`, problems, axe)

  // "My work" lists it as overdue, and leads back to it.
  const action = 'Send the summit invitation'
  await page.goto(base + '/')
  const overdue = page.locator('.app-overdue li', { hasText: action })
  const before = await overdue.count()
  assert.ok(before >= 1, `the follow-up is on My work ${mode}`)
  await check(page, `My work with an overdue follow-up ${mode}`, problems, axe)
  await overdue.last().locator('a').click()
  assert.match(page.url(), /\/interactions\/\d+$/)

  await page.click('main form button:has-text("Mark as done")')
  const banner = page.locator('.govuk-notification-banner--success')
  assert.match(await banner.innerText(), /Follow-up marked as done/)
  assert.equal(await page.locator('.govuk-tag', { hasText: 'Overdue' }).count(), 0)
  assert.equal(await page.locator('.govuk-tag', { hasText: 'Done' }).count(), 1)
  await check(page, `the interaction after completing ${mode}`, problems, axe)
  await page.goto(base + '/')
  assert.equal(await overdue.count(), before - 1, `done, it leaves My work ${mode}`)

  for (const path of ['/interactions', '/relationships/new', '/relationships?stage=nope']) {
    await page.goto(base + path)
    await check(page, `${path} ${mode}`, problems, axe)
  }
}

test('staff log an interaction with a follow-up on a 375 px screen and complete it', async () => {
  const problems = []
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({
      bypassCSP: true, javaScriptEnabled, viewport: { width: 375, height: 740 }
    })
    const page = await context.newPage()
    await signIn(page, emailOf('staff'))
    await logAndComplete(page, problems, javaScriptEnabled)
    await context.close()
  }
  assert.deepEqual(problems, [])
})
