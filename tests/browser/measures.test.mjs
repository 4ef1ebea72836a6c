// Browser test: a member of staff at 375 px imports a file of measure
// values: a file with a bad row is refused with every bad row listed (the
// GOV.UK error summary names the file field), a good one is imported, and
// the measure's page then draws its chart (an svg image with a title and
// description) above the same numbers in a table. Every page is axe-core
// clean.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { base, launch, signIn, emailOf, axeViolations } from './support.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function assertAccessible (page, what) {
  assert.deepEqual(await axeViolations(page), [], `${what}: axe-core violations`)
}

const HEADER = 'measure,year,ward,value,note\n'

function csv (name, rows) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(HEADER + rows.join('\n') + '\n') }
}

test('staff import a file of values and the measure is charted', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 800 } })
  const page = await context.newPage()
  await signIn(page, emailOf('staff'))

  await page.goto(base + '/import/measure-values')
  await assertAccessible(page, 'import form')

  // A bad row: nothing imported, each bad row listed.
  await page.setInputFiles('#file', csv('bad.csv', [
    'healthy-life-expectancy,2021,,59.9,Demonstration record',
    'healthy-life-expectancy,twenty,,60,'
  ]))
  await page.click('main form button[type=submit]')
  const summary = await page.locator('.govuk-error-summary').innerText()
  assert.match(summary, /1 row of the file could not be read/)
  assert.equal(await page.locator('.govuk-error-summary a[href="#file"]').count(), 1)
  const rows = await page.locator('main table tbody tr').allInnerTexts()
  assert.equal(rows.length, 1)
  assert.match(rows[0], /^3\s+year\s+Enter the year/)
  await assertAccessible(page, 'import form with errors')

  // A good file.
  await page.setInputFiles('#file', csv('good.csv', [
    'healthy-life-expectancy,2021,,59.9,Demonstration record',
    'healthy-life-expectancy,2022,,60.3,Demonstration record'
  ]))
  await page.click('main form button[type=submit]')
  assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Values imported/)

  await page.goto(base + '/measures/healthy-life-expectancy')
  const chart = page.locator('main svg[role=img]')
  assert.equal(await chart.count(), 1)
  assert.match(await chart.locator('title').textContent(), /Healthy life expectancy/i)
  assert.match(await chart.locator('desc').textContent(), /2021: 59\.9; 2022: 60\.3/)
  assert.equal(await chart.locator('circle').count(), 2)
  const box = await chart.boundingBox()
  assert.ok(box && box.width <= 375, `the chart fits a phone (${box?.width} px)`)
  await assertAccessible(page, 'measure page with its chart')
  await context.close()
})
