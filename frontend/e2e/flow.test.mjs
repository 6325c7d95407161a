// The first walk through Rongtong: register → create the organisation (an
// invalid 统一社会信用代码 first, refused by the server beside the field) →
// log out → log in. Also: an expired access token is refreshed without the
// user noticing, and the refresh token rotates.

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SKIP, newAccount, newUSCC, openBrowser, registerAccount } from './lib.mjs'

describe('register, create an organisation, log out, log in', { skip: SKIP }, () => {
  let browser
  let page
  const me = newAccount('sme')
  const uscc = newUSCC()

  before(async () => {
    browser = await openBrowser()
    page = await browser.context.newPage()
  })
  after(async () => {
    await browser?.close()
  })

  it('registers an SME account and lands on the organisation form', async () => {
    await registerAccount(page, me)
  })

  it('shows the server’s error beside the credit-code field for an invalid code', async () => {
    const form = page.locator('[data-test="org-form"]')
    await form.locator('[data-field="name"] input').fill(me.orgName)
    await form.locator('[data-field="uscc"] input').fill(uscc.bad)
    // Checked as typed …
    const error = form.locator('[data-field="uscc"] .el-form-item__error')
    await error.waitFor()
    assert.match(await error.innerText(), /校验码/)
    // … and refused by the server, whose error stands beside the same field.
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/orgs') && r.request().method() === 'POST'),
      form.locator('[data-test="org-submit"]').click(),
    ])
    assert.equal(res.status(), 422)
    const body = await res.json()
    assert.ok(
      body.errors.some((e) => e.field === 'uscc'),
      `the server names the field: ${JSON.stringify(body.errors)}`,
    )
    await page.waitForFunction(() =>
      /格式不正确/.test(document.querySelector('[data-field="uscc"] .el-form-item__error')?.textContent ?? ''),
    )
    assert.equal(await form.locator('.form-alert').count(), 1, 'the form heads its errors with an alert')
  })

  it('creates the organisation with a valid code', async () => {
    const form = page.locator('[data-test="org-form"]')
    await form.locator('[data-field="uscc"] input').fill(uscc.good)
    await form.locator('[data-test="uscc-ok"]').waitFor()
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/orgs') && r.request().method() === 'POST'),
      form.locator('[data-test="org-submit"]').click(),
    ])
    assert.equal(res.status(), 201)
    await page.locator('[data-test="org-saved"]').waitFor()
    await page.locator('h1', { hasText: me.orgName }).waitFor()
    await form.locator('[data-field="uscc"] .el-form-item__error').waitFor({ state: 'detached' })
  })

  it('refreshes an expired access token without losing the page, rotating the refresh token', async () => {
    const was = await page.evaluate(() => JSON.parse(localStorage.getItem('rongtong.auth')))
    // An access token the server will not accept, as after expiry.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('rongtong.auth'))
      s.accessToken = 'expired'
      localStorage.setItem('rongtong.auth', JSON.stringify(s))
    })
    await page.reload()
    await page.locator('h1', { hasText: me.orgName }).waitFor()
    const now = await page.evaluate(() => JSON.parse(localStorage.getItem('rongtong.auth')))
    assert.equal(new URL(page.url()).pathname, '/org')
    assert.notEqual(now.accessToken, 'expired')
    assert.notEqual(now.refreshToken, was.refreshToken, 'the refresh token rotates')
  })

  it('logs out from the user menu', async () => {
    await page.locator('[data-test="user-menu"]').click()
    await page.locator('[data-test="logout"]').click()
    await page.waitForURL((u) => u.pathname === '/login')
    assert.equal(await page.evaluate(() => localStorage.getItem('rongtong.auth')), null)
    // A page that needs a login sends the visitor back to the login form.
    await page.goto('/org')
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/org')
  })

  it('logs in again, returning to the page asked for, with the organisation', async () => {
    const form = page.locator('[data-test="login-form"]')
    await form.locator('input[name="login"]').fill(me.email)
    await form.locator('input[name="password"]').fill('wrong-password-1')
    await form.locator('button[type="submit"]').click()
    await page.locator('.form-alert').waitFor()
    assert.equal(new URL(page.url()).pathname, '/login')

    await form.locator('input[name="password"]').fill(me.password)
    await form.locator('button[type="submit"]').click()
    await page.waitForURL((u) => u.pathname === '/org')
    await page.locator('h1', { hasText: me.orgName }).waitFor()
    await page.locator('[data-test="org-unverified"]').waitFor()
  })
})
