// Browser test: the experiments portfolio, the mission × lever grid, an
// experiment's page and a mission's page with its progress and
// experiments, at 375 px and on a desktop: each fits the screen and
// passes axe-core. Staff then add to a learning log and record a
// decision, and the portfolio's filters work without JavaScript.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { base, launch, signIn, emailOf, axeViolations } from './support.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function check (page, what, problems) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth
  }))
  if (scrollWidth > innerWidth) problems.push(`${what} is ${scrollWidth} px wide at ${innerWidth} px`)
  for (const v of await axeViolations(page)) problems.push(`${what}: ${v}`)
}

for (const width of [375, 1280]) {
  test(`the portfolio, the grid and an experiment pass axe-core at ${width} px`, async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 800 } })
    const page = await context.newPage()
    const problems = []
    await page.goto(base + '/experiments')
    assert.equal(await page.locator('h1').innerText(), 'Experiments')
    await check(page, 'the portfolio', problems)
    await page.click('text=See what is being tested where')
    assert.match(page.url(), /\/experiments\/grid$/)
    assert.ok(await page.locator('td >> text=Not tested').count() > 0, 'gaps are marked in words')
    await check(page, 'the grid', problems)
    await page.goto(base + '/experiments/estate-food-growing-pilot')
    assert.match(await page.locator('main').innerText(), /Demonstration record/)
    await check(page, 'an experiment', problems)
    await page.goto(base + '/missions/youth-opportunity')
    assert.match(await page.locator('main').innerText(), /Target year 2025 has passed: no decision recorded/)
    await check(page, 'a mission with its progress and experiments', problems)
    await page.goto(base + '/experiments?lever=bribery')
    assert.equal(await page.locator('.govuk-error-summary').count(), 1)
    await check(page, 'the portfolio with a bad filter', problems)
    await context.close()
    assert.deepEqual(problems, [])
  })
}

test('staff add to the learning log and decide, and filters work without JavaScript', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 800 } })
  const page = await context.newPage()
  const problems = []
  await signIn(page, emailOf('staff'))
  await page.goto(base + '/experiments/youth-careers-challenge-prize')
  await page.click('text=Add to the learning log')
  await check(page, 'the learning log form', problems)
  await page.fill('#text', '')
  await page.click('main form button[type=submit]')
  assert.equal(await page.locator('.govuk-error-summary').count(), 1)
  await check(page, 'the learning log form with an error', problems)
  await page.fill('#text', 'Placements filled within a week.')
  await page.click('main form button[type=submit]')
  assert.match(page.url(), /saved=learning/)
  assert.match(await page.locator('#learning + *').innerText(), /Placements filled within a week/)
  await page.click('text=Record a decision')
  await check(page, 'the decision form', problems)
  await page.check('#decision') // the first choice, adjust, carries the field's id
  await page.fill('#decision_reason', 'Shorter placements next round.')
  await page.click('main form button[type=submit]')
  assert.match(page.url(), /saved=experiment/)
  assert.match(await page.locator('main').innerText(), /Shorter placements next round/)
  await context.close()

  const plain = await browser.newContext({ javaScriptEnabled: false })
  const noScript = await plain.newPage()
  await noScript.goto(base + '/experiments')
  await noScript.selectOption('#status', 'reviewing')
  await noScript.click('main form button[type=submit]')
  assert.match(noScript.url(), /status=reviewing/)
  assert.match(await noScript.locator('main').innerText(), /Estate food growing pilot/)
  await plain.close()
  assert.deepEqual(problems, [])
})
