// Browser test: the stories list, a story's page, and a mission's and a
// partner's pages with their stories, at 375 px and on a desktop: each
// fits the screen and passes axe-core. Staff then publish the draft
// demonstration story (refused by name until consent covers the website),
// and the list's filters work without JavaScript.
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
  test(`the stories, a story and the pages crediting it pass axe-core at ${width} px`, async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 800 } })
    const page = await context.newPage()
    const problems = []
    await page.goto(base + '/stories')
    assert.equal(await page.locator('h1').innerText(), 'Stories')
    assert.equal(await page.locator('link[rel=alternate][type="application/atom+xml"]').count(), 1)
    await check(page, 'the stories', problems)
    await page.goto(base + '/stories/first-paid-placement')
    assert.match(await page.locator('main').innerText(), /Demonstration record/)
    assert.doesNotMatch(await page.locator('main').innerText(), /Consent/)
    await check(page, 'a story', problems)
    await page.goto(base + '/organisations/roundhouse/impact')
    assert.match(await page.locator('main').innerText(), /A first paid placement at the Roundhouse/)
    await check(page, 'an impact page with its credits', problems)
    await page.goto(base + '/stories?mission=Not%20a%20mission')
    assert.equal(await page.locator('.govuk-error-summary').count(), 1)
    await check(page, 'the stories with a bad filter', problems)
    await context.close()
    assert.deepEqual(problems, [])
  })
}

test('staff publish a draft once consent covers the website, and filters work without JavaScript', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 800 } })
  const page = await context.newPage()
  const problems = []
  await signIn(page, emailOf('staff'))
  await page.goto(base + '/stories/residents-set-the-principles')
  assert.match(await page.locator('main').innerText(), /Draft/)
  await page.click('text=Publish this story')
  await check(page, 'the publish form', problems)
  await page.uncheck('input[name=consent_uses][value=website]')
  await page.click('main form button[type=submit]')
  assert.equal(await page.locator('.govuk-error-summary').count(), 1)
  assert.match(await page.locator('.govuk-error-summary').innerText(), /website/)
  await check(page, 'the publish form with an error', problems)
  await page.check('input[name=consent_uses][value=website]')
  await page.click('main form button[type=submit]')
  assert.match(page.url(), /saved=story/)
  assert.doesNotMatch(await page.locator('main').innerText(), /Not yet: a draft/)
  await context.close()

  const plain = await browser.newContext({ javaScriptEnabled: false })
  const noScript = await plain.newPage()
  await noScript.goto(base + '/stories')
  await noScript.selectOption('#mission', 'eat-well')
  await noScript.click('main form button[type=submit]')
  assert.match(noScript.url(), /mission=eat-well/)
  assert.match(await noScript.locator('main').innerText(), /Growing food on the estate/)
  await plain.close()
  assert.deepEqual(problems, [])
})
