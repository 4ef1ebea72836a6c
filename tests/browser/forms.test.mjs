// Browser test: every record form uses the GOV.UK date input where it has a
// date, and every save lands on a page with a GOV.UK success banner
// (post/redirect/get). Without JavaScript the organisation list is a plain
// select; with it, an accessible autocomplete.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { base, launch, signIn } from './support.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function signedIn (email, options = {}) {
  const context = await browser.newContext({ bypassCSP: true, ...options })
  const page = await context.newPage()
  await signIn(page, email)
  return { context, page }
}

// Every form staff can open, and the banner its save shows.
const forms = [
  ['/organisations/ucl/edit', 'Organisation saved'],
  ['/missions/youth-opportunity/edit', 'Mission saved'],
  ['/offer/sponsorship/edit', 'Role saved'],
  ['/initiatives/ai-campus/edit', 'Initiative saved'],
  ['/themes/health/edit', 'Outcome theme saved'],
  ['/commitments/new?organisation=ucl', 'Commitment saved']
]

test('every form uses the GOV.UK date input and shows a success banner after saving', async () => {
  const { context, page } = await signedIn('staff@demo.placeweave.invalid', { javaScriptEnabled: false })
  for (const [path, message] of forms) {
    const response = await page.goto(base + path)
    assert.equal(response.status(), 200, path)
    // A date is asked for only through the date input: day, month, year.
    const dayInputs = await page.locator('main input[name$="-day"]').count()
    const inDateInputs = await page.locator('main .govuk-date-input input[name$="-day"]').count()
    assert.equal(dayInputs, inDateInputs, `${path}: every date is a GOV.UK date input`)
    const isoHints = await page.locator('main .govuk-hint', { hasText: /year-month-day|YYYY-MM-DD/i }).count()
    assert.equal(isoHints, 0, `${path}: no field asks for a date as text`)
    if (path.startsWith('/commitments/')) {
      assert.equal(inDateInputs, 2, 'a commitment has a start and an end date')
      await page.fill('#start_date', '1')
      await page.fill('#start_date-month', '4')
      await page.fill('#start_date-year', '2025')
      await page.selectOption('#organisation', 'ucl')
    }
    await page.click('main form button[type=submit]')
    const banner = page.locator('.govuk-notification-banner--success')
    assert.equal(await banner.count(), 1, `${path}: a success banner after saving`)
    assert.match(await banner.innerText(), new RegExp(message), path)
    assert.match(page.url(), /[?&]saved=/, `${path}: redirected after the post`)
  }
  await context.close()
})

test('a date that is not real is refused in GOV.UK words, the heading unchanged', async () => {
  const { context, page } = await signedIn('staff@demo.placeweave.invalid', { javaScriptEnabled: false })
  await page.goto(base + '/commitments/new?organisation=ucl')
  const heading = await page.locator('h1').innerText()
  await page.fill('#start_date', '31')
  await page.fill('#start_date-year', '2025')
  await page.click('main form button[type=submit]')
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Start date must include a month/)
  assert.equal(await page.locator('h1').innerText(), heading)
  await page.click('.govuk-error-summary a[href="#start_date"]')
  assert.equal(await page.evaluate(() => document.activeElement.id), 'start_date')
  await context.close()
})

test('with JavaScript the organisation list becomes an accessible autocomplete', async () => {
  const { context, page } = await signedIn('staff@demo.placeweave.invalid')
  await page.goto(base + '/commitments/new?organisation=ucl')
  const input = page.locator('input#organisation[role="combobox"]')
  await input.waitFor({ state: 'visible' })
  await input.fill('')
  await input.fill('Arsen')
  await page.locator('.autocomplete__option', { hasText: 'Arsenal F.C.' }).first().click()
  assert.equal(await page.locator('select[name="organisation"]').inputValue(), 'arsenal-fc')
  await context.close()
})
