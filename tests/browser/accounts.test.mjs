// Browser tests for signed-in work: sign in as each demo role, use the forms
// without JavaScript, and check every signed-in page with axe-core.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
const axePath = require.resolve('axe-core/axe.min.js')
const base = process.env.PLACEWEAVE_URL
const log = process.env.PLACEWEAVE_DEMO_LOG
if (!base || !log) throw new Error('PLACEWEAVE_URL and PLACEWEAVE_DEMO_LOG are set by scripts/test')

// The demo prints a one-time link for each demo account; scripts/test uses
// each link to set a password and lists "role email password" in this file.
function password (email) {
  const line = readFileSync(log, 'utf8').split('\n').find(l => l.includes(email))
  assert.ok(line, `no demo account ${email} in ${log}`)
  return line.trim().split(/\s+/).pop()
}

let browser
before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
  })
})
after(async () => { await browser?.close() })

async function signedIn (email, options = {}) {
  const context = await browser.newContext({ bypassCSP: true, ...options })
  const page = await context.newPage()
  await page.goto(base + '/sign-in')
  await page.fill('#email', email)
  await page.fill('#password', password(email))
  await page.click('main button[type=submit]')
  await page.waitForURL(base + '/account')
  return { context, page }
}

async function assertAccessible (page, label) {
  await page.addScriptTag({ path: axePath })
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)
  })
  assert.deepEqual(violations, [], label)
}

test('a wrong password shows an accessible error summary', async () => {
  const context = await browser.newContext({ bypassCSP: true })
  const page = await context.newPage()
  await page.goto(base + '/sign-in')
  await page.fill('#email', 'nobody@demo.placeweave.invalid')
  await page.fill('#password', 'not the password')
  await page.click('main button[type=submit]')
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a correct email address and password/)
  await assertAccessible(page, 'sign-in with errors')
  await context.close()
})

test('staff edit an organisation without JavaScript and see contacts', async () => {
  const { context, page } = await signedIn('staff@demo.placeweave.invalid', { javaScriptEnabled: false })
  await page.goto(base + '/organisations/wellcome-collection/edit')
  await page.fill('#website', 'https://wellcomecollection.org/')
  await page.check('#levers')
  await page.click('main button[type=submit]')
  await page.waitForURL(base + '/organisations/wellcome-collection?saved=organisation')
  assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Organisation saved/)
  assert.match(await page.locator('main').innerText(), /wellcomecollection\.org/)
  await page.goto(base + '/organisations/wellcome-collection/contacts')
  await page.fill('#name', 'Demonstration Contact')
  await page.click('main button[type=submit]')
  assert.match(await page.locator('.govuk-error-summary').innerText(), /lawful basis/)
  await page.selectOption('#lawful_basis', 'legitimate-interests')
  await page.selectOption('#retention', 'one-off-enquiry')
  await page.click('main button[type=submit]')
  assert.match(await page.locator('main table').innerText(), /Demonstration Contact/)
  await context.close()
})

test('staff pages are accessible', async () => {
  const { context, page } = await signedIn('staff@demo.placeweave.invalid')
  await assertAccessible(page, '/account')
  for (const path of ['/organisations/ucl', '/organisations/ucl/edit', '/organisations/ucl/contacts',
    '/organisations/new', '/missions/new', '/missions/youth-opportunity/edit', '/offer/new', '/offer/sponsorship/edit',
    '/initiatives/new', '/initiatives/ai-campus/edit', '/commitments/new?organisation=ucl',
    '/missions', '/themes/new', '/themes/health/edit']) {
    const response = await page.goto(base + path)
    assert.equal(response.status(), 200, path)
    await assertAccessible(page, path)
  }
  await page.goto(base + '/organisations/ucl/contacts')
  await page.click('form[action="/organisations/ucl/contacts"] button[type=submit]')
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the contact's name/)
  await assertAccessible(page, 'contacts with errors')
  await page.goto(base + '/missions/new')
  await page.click('main form button[type=submit]')
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a short name for the mission/)
  await assertAccessible(page, 'record form with errors')
  await page.goto(base + '/organisations/ucl/edit')
  await page.fill('#name', '')
  await page.click('main form button[type=submit]')
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the organisation's name/)
  await assertAccessible(page, 'edit form with errors')
  await context.close()
})

test('a partner edits their own organisation only', async () => {
  const { context, page } = await signedIn('partner.ucl@demo.placeweave.invalid')
  await page.goto(base + '/organisations/ucl/edit')
  await assertAccessible(page, 'partner edit form')
  assert.equal(await page.locator('#audience').count(), 0)
  const other = await page.goto(base + '/organisations/roundhouse/edit')
  assert.equal(other.status(), 403)
  await context.close()
})

test('admin pages are accessible', async () => {
  const { context, page } = await signedIn('admin@demo.placeweave.invalid')
  for (const path of ['/admin', '/admin/users', '/admin/audit', '/admin/people?email=staff@demo.placeweave.invalid', '/admin/licence']) {
    const response = await page.goto(base + path)
    assert.equal(response.status(), 200, path)
    await assertAccessible(page, path)
  }
  await page.goto(base + '/admin/users')
  await page.click('form[action="/admin/users"] button[type=submit]')
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter an email address/)
  await assertAccessible(page, 'invite form with errors')
  // The licence form keeps the place's choice; saving it again changes nothing.
  await page.goto(base + '/admin/licence')
  assert.equal(await page.locator('input[name=licence]:checked').getAttribute('value'), 'ogl-3')
  await page.click('form[action="/admin/licence"] button[type=submit]')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Licence saved/)
  await assertAccessible(page, 'open data page after saving the licence')
  await context.close()
})
