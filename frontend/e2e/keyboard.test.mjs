// The keyboard alone is enough: log in, skip to the content, reach the
// navigation and the user menu, and log out, without a mouse.

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SKIP, openBrowser, seedAccount } from './lib.mjs'

/** tabTo presses Tab until the focused element matches test(), failing after max presses. */
async function tabTo(page, what, test, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(test)) return
  }
  assert.fail(`Tab never reached ${what}`)
}

describe('keyboard only', { skip: SKIP }, () => {
  let browser
  let page
  let me
  before(async () => {
    me = await seedAccount('sme')
    browser = await openBrowser()
    page = await browser.context.newPage()
  })
  after(async () => browser?.close())

  it('logs in with Tab, typing and Enter', async () => {
    await page.goto('/login')
    await page.locator('[data-test="login-form"]').waitFor()
    await tabTo(page, 'the login field', () => document.activeElement?.getAttribute('name') === 'login')
    await page.keyboard.type(me.email)
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'password')
    await page.keyboard.type(me.password)
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === '/')
  })

  it('skips to the main content from the first Tab', async () => {
    await page.goto('/listings')
    await page.locator('h1').waitFor()
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#main')
    assert.ok(await page.locator('.skip-link').isVisible(), 'the skip link shows when focused')
  })

  it('reaches every navigation link', async () => {
    await page.goto('/')
    await page.locator('h1').waitFor()
    const links = await page.locator('.side-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    assert.ok(links.length >= 4, `navigation links: ${links}`)
    const seen = new Set()
    for (let i = 0; i < 60 && seen.size < links.length; i++) {
      await page.keyboard.press('Tab')
      const href = await page.evaluate(() =>
        document.activeElement?.closest('.side-nav') ? document.activeElement.getAttribute('href') : null,
      )
      if (href) seen.add(href)
    }
    assert.deepEqual([...seen].sort(), [...links].sort())
  })

  it('opens the user menu and logs out with the keyboard', async () => {
    await page.goto('/')
    await page.locator('h1').waitFor()
    await tabTo(page, 'the user menu', () => document.activeElement?.getAttribute('data-test') === 'user-menu')
    await page.keyboard.press('Enter')
    const logout = page.locator('[data-test="logout"]')
    await logout.waitFor()
    // Enter puts the focus on the first item; the arrow keys move it down to "log out".
    await page.waitForFunction(() => document.activeElement?.classList.contains('el-dropdown-menu__item'))
    for (let i = 0; i < 5 && !(await logout.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('ArrowDown')
    }
    assert.ok(await logout.evaluate((el) => el === document.activeElement), 'the arrow keys reach "log out"')
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === '/login')
  })
})
