// Browser test: a member of the public at 375 px expresses interest from a
// role on the offer, meets the error summary (a missing message and a bad
// email), puts it right and gets the confirmation with a reference; then a
// staff member finds it in the queue. Every page and state fits the screen
// and passes axe-core (which needs JavaScript); the public journey is then
// made again without JavaScript, as the form must work so.
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

// From the offer to the confirmation; returns the reference.
async function expressInterest (page, problems, axe, organisation) {
  const mode = axe ? 'with JavaScript' : 'without JavaScript'
  await page.goto(base + '/offer')
  const link = page.locator('main a[href^="/express-interest?role="]').first()
  const href = await link.getAttribute('href')
  const role = new URL(href, base).searchParams.get('role')
  await link.click()
  assert.equal(await page.locator('h1').innerText(), 'Express interest')
  assert.equal(await page.locator('#role').inputValue(), role, 'the role chosen from the link')
  await check(page, `the form ${mode}`, problems, axe)

  await page.fill('#organisation', organisation)
  await page.fill('#name', 'Ada Okafor')
  await page.fill('#email', 'not-an-email')
  await page.click('main form button[type=submit]')
  const summary = page.locator('.govuk-error-summary')
  assert.equal(await summary.count(), 1, 'an error summary')
  const text = await summary.innerText()
  assert.match(text, /email address in the correct format/i)
  assert.match(text, /Enter a message/i)
  assert.equal(await page.locator('#organisation').inputValue(), organisation, 'what was typed is kept')
  await check(page, `the form with errors ${mode}`, problems, axe)

  await page.fill('#email', 'ada@bakery.example')
  await page.fill('#message', 'We could host two work placements a year.')
  await page.click('main form button[type=submit]')
  assert.equal(await page.locator('h1').innerText(), 'Enquiry sent')
  const reference = await page.locator('#reference').innerText()
  assert.match(reference, /^ENQ-[A-Z0-9]{6}$/)
  await check(page, `the confirmation ${mode}`, problems, axe)
  return reference
}

test('the public express interest on a 375 px screen, with and without JavaScript', async () => {
  const problems = []
  const references = []
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({
      bypassCSP: true, javaScriptEnabled, viewport: { width: 375, height: 740 }
    })
    const page = await context.newPage()
    const organisation = `Kentish Town Bakery ${javaScriptEnabled ? 'JS' : 'HTML'}`
    references.push(await expressInterest(page, problems, javaScriptEnabled, organisation))
    await context.close()
  }

  // Staff find both in the queue; the enquiry's page and its triage form pass too.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 740 } })
  const page = await context.newPage()
  await signIn(page, emailOf('staff'))
  // "My work" on the home page counts the enquiries waiting.
  await page.goto(base + '/')
  assert.match(await page.locator('#my-work').innerText(), /My work/)
  assert.match(await page.locator('main a[href="/enquiries"]').innerText(), /\d+ new enquir/)
  await check(page, 'My work', problems)
  await page.goto(base + '/enquiries')
  for (const reference of references) {
    assert.equal(await page.locator('main a', { hasText: reference }).count(), 1, reference)
  }
  await check(page, 'the queue', problems)
  await page.locator('main a', { hasText: references[0] }).click()
  assert.match(await page.locator('h1').innerText(), /Kentish Town Bakery/)
  await check(page, 'an enquiry', problems)
  await page.click('main form button[type=submit]')
  assert.equal(await page.locator('.govuk-error-summary').count(), 1, 'the triage names its field')
  await check(page, 'the triage form with an error', problems)
  await context.close()
  assert.deepEqual(problems, [])
})
