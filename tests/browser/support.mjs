// What the browser tests share: Debian's Chromium, the demo accounts'
// passwords (scripts/test writes "role email password" lines to
// PLACEWEAVE_DEMO_LOG), signing in, and axe-core. Not a test file itself.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
const axePath = require.resolve('axe-core/axe.min.js')

export const base = process.env.PLACEWEAVE_URL
const log = process.env.PLACEWEAVE_DEMO_LOG
if (!base || !log) throw new Error('PLACEWEAVE_URL and PLACEWEAVE_DEMO_LOG are set by scripts/test')

export function launch () {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
  })
}

function password (email) {
  const line = readFileSync(log, 'utf8').split('\n').find(l => l.includes(email))
  assert.ok(line, `no demo account ${email} in ${log}`)
  return line.trim().split(/\s+/).pop()
}

// The demo account's email for a role: admin, staff, partner…
export function emailOf (role) {
  const line = readFileSync(log, 'utf8').split('\n').find(l => l.startsWith(role + ' '))
  assert.ok(line, `no demo ${role} in ${log}`)
  return line.trim().split(/\s+/)[1]
}

// Signs `page` in as the demo account `email`.
export async function signIn (page, email) {
  await page.goto(base + '/sign-in')
  await page.fill('#email', email)
  await page.fill('#password', password(email))
  await page.click('main button[type=submit]')
  await page.waitForURL(u => !u.pathname.startsWith('/sign-in'))
}

// axe-core's violations on the page as it is, one line each.
export async function axeViolations (page) {
  await page.addScriptTag({ path: axePath })
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)
  })
}
