// Takes the screenshots in docs/ at a phone's width (375 px) from a running
// demo: `node scripts/screenshots.mjs http://127.0.0.1:8080`.
// Uses Debian's Chromium through playwright-core, as the browser tests do.
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const base = process.argv[2] || process.env.PLACEWEAVE_URL || 'http://127.0.0.1:8080'
const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs')
const shots = [
  ['/organisations', 'directory-375.png'],
  ['/missions/youth-opportunity', 'mission-375.png']
]

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
})
try {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 1 })
  const page = await context.newPage()
  for (const [path, file] of shots) {
    await page.goto(base + path)
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    await page.screenshot({ path: join(docs, file), fullPage: true })
    console.log(`${path}: ${width} px wide, saved docs/${file}`)
  }
} finally {
  await browser.close()
}
