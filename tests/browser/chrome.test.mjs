// Browser tests for what every page shares: the place's required pages
// (linked from every footer, accessible, editable by an administrator),
// a header on one line at 1280 px even for an administrator, a mobile menu
// that starts closed (so the page does not move after load), the print
// stylesheet, and "Forgotten your password?".
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { axeViolations as violations, base, emailOf, launch, signIn } from './support.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function signedIn (role, options = {}) {
  const context = await browser.newContext({ bypassCSP: true, ...options })
  const page = await context.newPage()
  await signIn(page, emailOf(role))
  return { context, page }
}

const required = [
  ['/accessibility', 'Accessibility statement'],
  ['/privacy', 'Privacy notice'],
  ['/cookies', 'Cookies'],
  ['/contact', 'Contact']
]

test('the required pages are in every footer, and pass axe-core', async () => {
  const context = await browser.newContext({ bypassCSP: true })
  const page = await context.newPage()
  for (const start of ['/', '/offer', '/no-such-page', '/sign-in', '/password-reset']) {
    await page.goto(base + start)
    for (const [path, label] of required) {
      assert.equal(await page.locator(`footer a[href="${path}"]`).innerText(), label, `${start} links to ${path}`)
    }
  }
  for (const [path, label] of required) {
    const response = await page.goto(base + path)
    assert.equal(response.status(), 200)
    assert.equal(await page.locator('h1').innerText(), label)
    assert.deepEqual(await violations(page), [], path)
  }
  await page.goto(base + '/password-reset')
  assert.deepEqual(await violations(page), [], '/password-reset')
  await context.close()
})

test('an administrator changes a required page and sees it saved', async () => {
  const { context, page } = await signedIn('admin')
  await page.goto(base + '/admin')
  await page.click('a[href="/admin/pages/contact"]')
  assert.deepEqual(await violations(page), [], 'the edit form')
  await page.fill('#body', '')
  await page.click('main button[type=submit]')
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the page's text/)
  assert.deepEqual(await violations(page), [], 'the edit form with an error')
  await page.fill('#body', 'Write to the partnership team.\n\n## By phone\n- 020 7974 4444')
  await page.click('main button[type=submit]')
  await page.waitForURL(base + '/contact?saved=1')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /was saved/)
  assert.equal(await page.locator('main h2.govuk-heading-m').innerText(), 'By phone')
  assert.deepEqual(await violations(page), [], 'the saved page')
  await context.close()
})

test('the header stays on one line at 1280 px, signed in as an administrator', async () => {
  const { context, page } = await signedIn('admin', { viewport: { width: 1280, height: 800 } })
  for (const path of ['/', '/admin/users', '/no-such-page']) {
    await page.goto(base + path)
    const tops = await page.locator('.govuk-service-navigation__item').evaluateAll(items => items.map(i => Math.round(i.getBoundingClientRect().top)))
    assert.equal(tops.length, 6, `${path}: the sections, relationships and administration included`)
    assert.equal(new Set(tops).size, 1, `${path}: navigation items on one line (${tops})`)
    const bar = await page.locator('.govuk-generic-header__logo, .app-header__account li').evaluateAll(items => items.map(i => Math.round(i.getBoundingClientRect().top + i.getBoundingClientRect().height / 2)))
    assert.ok(Math.max(...bar) - Math.min(...bar) <= 4, `${path}: the name and the account links on one line (${bar})`)
    assert.equal(await page.locator('header a[href="/"]').count(), 1, `${path}: one home link`)
    assert.match(await page.locator('header').innerText(), /Sign out/)
  }
  await context.close()
})

test('on a phone the menu starts closed, and opening it works', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 700 } })
  const page = await context.newPage()
  await page.goto(base + '/offer')
  // Before and after the script has run, the list is hidden and the button is where it stays.
  assert.equal(await page.locator('#navigation').isVisible(), false)
  const button = page.locator('.govuk-service-navigation__toggle')
  await button.waitFor({ state: 'visible' })
  const heading = await page.locator('h1').boundingBox()
  await button.click()
  assert.equal(await page.locator('#navigation').isVisible(), true)
  await button.click()
  assert.deepEqual(await page.locator('h1').boundingBox(), heading)
  await context.close()
})

test('a printed page has no navigation, writes out link addresses and says where it came from', async () => {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(base + '/missions/youth-opportunity')
  await page.emulateMedia({ media: 'print' })
  for (const hidden of ['.govuk-service-navigation__wrapper', '.govuk-footer', '.govuk-skip-link']) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, hidden)
  }
  assert.equal(await page.locator('.app-print-only').isVisible(), true)
  assert.match(await page.locator('.app-print-only').innerText(), new RegExp(`${base}/missions/youth-opportunity`))
  const after = await page.locator('main a[href^="/"]').first().evaluate(a => getComputedStyle(a, '::after').content)
  assert.match(after, /attr\(href\)|\(\/|"\/"/, 'the address after the link text')
  await context.close()
})
