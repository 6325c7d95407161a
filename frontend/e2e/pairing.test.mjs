// A pairing (对接) end to end: a lead enterprise expresses interest from a
// match of its need, the SME that published the matched capability finds
// the request in its inbox, a decline without a reason is refused beside
// the field, and the SME accepts. axe-core checks the new pages on a desktop
// and at 375 px.
//
// The organisations must be verified to be matched, so this needs an admin
// account (RONGTONG_ADMIN_LOGIN, RONGTONG_ADMIN_PASSWORD).

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  SKIP,
  api,
  capabilityInput,
  check,
  checkPhone,
  findMatch,
  logIn,
  loginToken,
  needInput,
  openBrowser,
  seedVerified,
} from './lib.mjs'

const ADMIN = process.env.RONGTONG_ADMIN_LOGIN
const ADMIN_PASSWORD = process.env.RONGTONG_ADMIN_PASSWORD

describe(
  'an enterprise asks an SME for a pairing, which the SME accepts',
  { skip: SKIP || (!ADMIN || !ADMIN_PASSWORD ? 'set RONGTONG_ADMIN_LOGIN and RONGTONG_ADMIN_PASSWORD' : false) },
  () => {
    let browser
    let page
    let sme
    let ent
    let capability
    let need
    let pairingId

    before(async () => {
      ;[sme, ent] = await seedVerified(ADMIN, ADMIN_PASSWORD, 'sme', 'enterprise')
      capability = await api('POST', '/listings', capabilityInput(sme.orgName), await loginToken(sme.email, sme.password))
      need = await api('POST', '/listings', needInput(), await loginToken(ent.email, ent.password))
      browser = await openBrowser()
      page = await browser.context.newPage()
    })
    after(async () => browser?.close())

    it('expresses interest from a match of its need', async () => {
      await logIn(page, ent.email, ent.password)
      const item = await findMatch(page, need.id, '配套能力', capability.title)
      await item.locator('[data-test="express-interest"]').click()
      const dialog = page.locator('[data-test="interest-dialog"]')
      await dialog.locator('[data-test="interest-message"]').fill('我们对贵司的压铸能力很感兴趣，希望进一步沟通。')
      await dialog.locator('[data-test="interest-send"]').click()
      const link = item.locator('[data-test="interest-view"]')
      await link.waitFor()
      await link.click()
      await page.waitForURL((u) => u.pathname.startsWith('/pairings/'))
      pairingId = page.url().split('/pairings/')[1]
      await page.locator('[data-move="withdrawn"]').waitFor()
      assert.equal(await page.locator('[data-move="accepted"]').count(), 0, 'the asking side cannot accept its own request')
      await check(page, '/pipeline', { ready: '[data-test="pipeline"]' })
      assert.equal(await page.locator(`[data-column="interested"] [data-pairing="${pairingId}"]`).count(), 1)
      await checkPhone(page, '/pipeline', '[data-test="pipeline"]')
    })

    it('is in the SME’s inbox; a decline needs a reason; the SME accepts', async () => {
      await page.context().clearCookies()
      await page.evaluate(() => localStorage.clear())
      await logIn(page, sme.email, sme.password)
      await page.locator('[data-test="inbox-badge"] .el-badge__content').waitFor()
      await check(page, '/inbox', { ready: '[data-test="inbox"]' })
      const note = page.locator('[data-test="inbox"] li.unread').first()
      await note.locator('a', { hasText: '查看对接' }).click()
      await page.waitForURL((u) => u.pathname === `/pairings/${pairingId}`)

      await page.locator('[data-move="declined"]').click()
      const dialog = page.locator('[data-test="move-dialog"]')
      await dialog.locator('[data-test="move-submit"]').click()
      await dialog.locator('.el-form-item__error', { hasText: '此项必填' }).waitFor()
      await dialog.getByRole('button', { name: '取消' }).click()

      await page.locator('[data-move="accepted"]').click()
      await dialog.locator('[data-test="move-submit"]').click()
      await page.locator('.el-tag[data-status="accepted"]').first().waitFor()
      await page.locator('[data-move="meeting"]').waitFor()
      await check(page, `/pairings/${pairingId}`, { ready: '[data-test="history"]' })
      await check(page, '/pairings', { ready: '[data-test="pairing-list"]' })
      await checkPhone(page, '/pairings', '[data-test="pairing-list"]')
      await checkPhone(page, `/pairings/${pairingId}`, '[data-test="history"]')
    })
  },
)
