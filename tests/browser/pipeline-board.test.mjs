// Browser test: the pipeline as a board. With JavaScript the tables become
// a column per stage; a staff member drags a card to another stage, and
// moves another with the card's own control (the way for a keyboard or a
// single pointer); the page returns with a banner and the card in its new
// column. The tables are one click away and the choice is remembered.
// Every state passes axe-core and fits a 375 px phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { base, launch, signIn, emailOf, axeViolations } from './support.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function check (page, what) {
  assert.deepEqual(await axeViolations(page), [], `${what}: axe-core violations`)
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth
  }))
  assert.ok(scrollWidth <= innerWidth, `${what}: the page is ${scrollWidth} px wide at ${innerWidth} px`)
}

const column = (page, stage) => page.locator(`.app-board__column[data-stage="${stage}"]`)
const cardNamed = (page, stage, name) => column(page, stage).locator('.app-board__card', { hasText: name })

// The first card on the board and the stage it is at.
async function firstCard (page) {
  const card = page.locator('.app-board__card').first()
  const name = await card.locator('a').first().innerText()
  const stage = await card.evaluate((el) => el.closest('.app-board__column').dataset.stage)
  return { card, name, stage }
}

test('staff move relationships on the board by dragging and by the card control', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await signIn(page, emailOf('staff'))
  await page.goto(base + '/relationships')
  const board = page.locator('.app-board')
  await board.waitFor()
  const stages = await page.locator('.app-stage').count()
  assert.ok(stages >= 6, 'a section per stage')
  assert.equal(await page.locator('.app-board__column').count(), stages, 'a column per stage')
  assert.equal(await page.locator('.app-stage:visible').count(), 0, 'the tables are hidden')
  assert.ok(await page.locator('.app-board__card').count() > 0, 'the demonstration relationships are on it')
  await check(page, 'the board')

  // Dragged to another column: sent as the card's form, so it is dated.
  const dragged = await firstCard(page)
  const target = dragged.stage === 'exploring' ? 'active' : 'exploring'
  await Promise.all([
    page.waitForURL(/saved=stage/),
    dragged.card.dragTo(column(page, target))
  ])
  assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Relationship moved/)
  await board.waitFor()
  assert.equal(await cardNamed(page, target, dragged.name).count(), 1, `${dragged.name} is at ${target}`)
  assert.equal(await cardNamed(page, dragged.stage, dragged.name).count(), 0)
  await check(page, 'the board after a move')

  // Moved with the card's own control, no dragging.
  const moved = await firstCard(page)
  const next = moved.stage === 'committed' ? 'sustaining' : 'committed'
  await moved.card.locator('select').selectOption(next)
  await Promise.all([
    page.waitForURL(/saved=stage/),
    moved.card.locator('button', { hasText: 'Move' }).click()
  ])
  await board.waitFor()
  assert.equal(await cardNamed(page, next, moved.name).count(), 1, `${moved.name} is at ${next}`)

  // The relationship's history has the move, dated.
  await cardNamed(page, next, moved.name).locator('a').first().click()
  assert.match(await page.locator('main').innerText(), new RegExp(`${next === 'committed' ? 'Committed' : 'Sustaining'}, \\d`))

  // The tables are one click away, and stay chosen.
  await page.goto(base + '/relationships')
  await page.click('button:has-text("Show as tables")')
  assert.ok(await board.isHidden())
  assert.ok(await page.locator('.app-stage').first().isVisible())
  await check(page, 'the tables, chosen')
  await page.reload()
  assert.ok(await page.locator('.app-stage').first().isVisible(), 'remembered')
  await page.click('button:has-text("Show as a board")')
  assert.ok(await board.isVisible())
  await context.close()
})

test('the board fits a 375 px phone and scrolls inside its own region', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 740 } })
  const page = await context.newPage()
  await signIn(page, emailOf('staff'))
  await page.goto(base + '/relationships')
  await page.locator('.app-board').waitFor()
  await check(page, 'the board on a phone')
  await context.close()
})
