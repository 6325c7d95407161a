// The whole journey across roles, through the UI: a new SME signs up and
// creates its organisation (an invalid credit code first), an admin
// verifies it, the SME publishes a capability (a submit without a title
// first), a lead enterprise searches and finds it, opens the matches of its
// need and expresses interest (a message is required), the SME accepts; the
// organizer creates an event (an invalid one first) and opens it, both
// register (a note is required), the organizer approves them, the
// enterprise requests a meeting and the SME accepts it, the organizer runs
// the scheduler and publishes, and the SME's agenda shows the meeting and
// its calendar file downloads and parses. The admin also enrols the SME in
// the cultivation database (a save without a date and an office first).
//
// Set up through the API, not under test: the lead enterprise's account,
// organisation and need (the enterprise's own sign-up is the SME's). The
// admin (RONGTONG_ADMIN_LOGIN, RONGTONG_ADMIN_PASSWORD) verifies both
// organisations in the UI, and the demo organizer runs the event.

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  SKIP,
  acceptMeeting,
  agendaCalendar,
  api,
  assertMeetingInCalendar,
  findMatch,
  loginToken,
  needInput,
  newAccount,
  newUSCC,
  openBrowser,
  pickRef,
  registerAccount,
  registerForEvent,
  requestMeeting,
  seedAccount,
  settled,
  submitOrg,
  switchUser,
  verifyOrg,
} from './lib.mjs'

const ADMIN = process.env.RONGTONG_ADMIN_LOGIN
const ADMIN_PASSWORD = process.env.RONGTONG_ADMIN_PASSWORD
const ORGANIZER = process.env.RONGTONG_ORGANIZER_LOGIN ?? 'organizer@demo.rongtong.cn'

describe(
  'the journey from sign-up to a meeting on the agenda',
  { skip: SKIP || (!ADMIN || !ADMIN_PASSWORD ? 'set RONGTONG_ADMIN_LOGIN and RONGTONG_ADMIN_PASSWORD' : false) },
  () => {
    let browser
    let page
    let ent
    let need
    const sme = newAccount('sme')
    const uscc = newUSCC()
    const capTitle = `${sme.orgName}铝合金精密压铸`
    let capId
    let smeOrgId
    let pairingId
    let eventId

    before(async () => {
      ent = await seedAccount('enterprise')
      need = await api('POST', '/listings', needInput(), await loginToken(ent.email, ent.password))
      browser = await openBrowser()
      page = await browser.context.newPage()
    })
    after(async () => browser?.close())

    it('SME: signs up and creates its organisation, after the credit code is refused beside the field', async () => {
      await registerAccount(page, sme)
      const bad = await submitOrg(page, sme.orgName, uscc.bad)
      assert.equal(bad.status(), 422)
      assert.ok((await bad.json()).errors.some((e) => e.field === 'uscc'))
      await page.waitForFunction(() =>
        /格式不正确/.test(document.querySelector('[data-field="uscc"] .el-form-item__error')?.textContent ?? ''),
      )
      const good = await submitOrg(page, sme.orgName, uscc.good)
      assert.equal(good.status(), 201)
      smeOrgId = (await good.json()).id
      await page.locator('[data-test="org-saved"]').waitFor()
      await page.locator('[data-test="org-unverified"]').waitFor()
    })

    it('admin: verifies the SME and the lead enterprise, and enrols the SME for cultivation after a refused save', async () => {
      await switchUser(page, ADMIN, ADMIN_PASSWORD)
      await verifyOrg(page, sme.orgName, 'sme')
      await verifyOrg(page, ent.orgName, 'enterprise')

      await page.goto(`/cultivation/orgs/${smeOrgId}`)
      await page.locator('[data-test="membership-edit"]').click()
      const form = page.locator('[data-test="membership-form"]')
      const [bad] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/orgs/${smeOrgId}/cultivation`) && r.request().method() === 'PUT'),
        form.locator('[data-test="membership-save"]').click(),
      ])
      assert.equal(bad.status(), 422)
      await form.locator('[data-field="since"] .el-form-item__error').waitFor()
      await form.locator('[data-field="office"] .el-form-item__error').waitFor()
      await form.locator('[data-field="since"] input').fill('2025-06-01')
      await form.locator('[data-field="since"] input').press('Enter')
      await form.locator('[data-field="office"] input').fill('宁波市北仑区经济和信息化局')
      await form.locator('[data-test="membership-save"]').click()
      await page.locator('[data-test="membership"]', { hasText: '宁波市北仑区经济和信息化局' }).waitFor()
    })

    it('SME: publishes a capability, after a submit without a title is refused', async () => {
      await switchUser(page, sme.email, sme.password)
      await page.goto('/my/listings/new')
      await page.locator('[data-test="kind-choices"] button').first().click()
      const form = page.locator('[data-test="listing-form"][data-kind="capability"]')
      await form.waitFor()
      await form.locator('[data-test="listing-publish"]').click()
      await form.locator('[data-field="title"] .el-form-item__error').waitFor()
      assert.equal(new URL(page.url()).pathname, '/my/listings/new')

      await form.locator('[data-field="title"] input').fill(capTitle)
      await form
        .locator('[data-field="description"] textarea')
        .fill('铝合金精密压铸与数控加工，年产 20 万件，配套新能源汽车结构件。')
      for (const [field, values] of [
        ['processes', ['压铸', '数控加工']],
        ['materials', ['铝合金']],
      ]) {
        const input = form.locator(`[data-field="${field}"] input`)
        for (const v of values) {
          await input.fill(v)
          await input.press('Enter')
        }
      }
      await form.locator('[data-field="certifications"] button', { hasText: 'IATF16949' }).click()
      await form.locator('[data-field="capacity"] input').first().fill('200000')
      await form.locator('[data-field="capacity"] input').nth(1).fill('件')
      await pickRef(page, form.locator('[data-field="industries"]'), '黑色金属铸造')
      await pickRef(page, form.locator('[data-field="regionsServed"]'), '北仑')
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/listings') && r.request().method() === 'POST'),
        form.locator('[data-test="listing-publish"]').click(),
      ])
      assert.equal(res.status(), 201)
      capId = (await res.json()).id
      await page.waitForURL((u) => u.pathname === `/listings/${capId}`)
      await page.locator('[data-status="published"]').waitFor()
    })

    it('lead enterprise: finds the capability by search and expresses interest from its need’s matches', async () => {
      await switchUser(page, ent.email, ent.password)
      await page.goto('/search')
      await page.locator('#search-q').fill(sme.orgName)
      await page.locator('[data-test="search-submit"]').click()
      await page.locator(`[data-test="search-hit"]:has(a[href="/listings/${capId}"])`).waitFor()

      const item = await findMatch(page, need.id, '配套能力', capTitle)
      await item.locator('[data-test="express-interest"]').click()
      const dialog = page.locator('[data-test="interest-dialog"]')
      await dialog.locator('[data-test="interest-send"]').click()
      await dialog.locator('.el-form-item__error', { hasText: '此项必填' }).waitFor()
      await dialog.locator('[data-test="interest-message"]').fill('我们对贵司的压铸能力很感兴趣，希望进一步沟通。')
      await dialog.locator('[data-test="interest-send"]').click()
      await item.locator('[data-test="interest-view"]').click()
      await page.waitForURL((u) => u.pathname.startsWith('/pairings/'))
      pairingId = page.url().split('/pairings/')[1]
    })

    it('SME: accepts the pairing from its inbox', async () => {
      await switchUser(page, sme.email, sme.password)
      await page.goto('/inbox')
      await page.locator('[data-test="inbox"] li.unread').first().locator('a', { hasText: '查看对接' }).click()
      await page.waitForURL((u) => u.pathname === `/pairings/${pairingId}`)
      await page.locator('[data-move="accepted"]').click()
      await page.locator('[data-test="move-dialog"] [data-test="move-submit"]').click()
      await page.locator('.el-tag[data-status="accepted"]').first().waitFor()
    })

    it('organizer: creates an event, after the field errors of an invalid one, and opens it', async () => {
      await switchUser(page, ORGANIZER)
      await page.goto('/events')
      await page.locator('[data-testid="event-create"]').click()
      await page.waitForURL((u) => u.pathname === '/events/new')
      const form = page.locator('[data-testid="event-form"]')
      await form.locator('[data-testid="event-form-submit"]').click()
      await form.locator('[data-field="title"] .el-form-item__error').waitFor()
      await form.locator('input[data-testid="event-title"]').fill(`端到端全流程洽谈会 ${Date.now().toString(36)}`)
      await form.locator('input[data-testid="event-venue"]').fill('宁波市会展中心')
      await form.locator('[data-testid="event-form-submit"]').click()
      await page.waitForURL((u) => /^\/events\/[^/]+\/manage$/.test(u.pathname))
      eventId = new URL(page.url()).pathname.split('/')[2]
      await page.locator('[data-testid="event-status-open"]').click()
      await page.locator('[data-testid="event-status"][data-status="open"]').waitFor()
    })

    it('SME and lead enterprise: register for the event, each after a refused submit', async () => {
      await switchUser(page, sme.email, sme.password)
      await registerForEvent(page, eventId, '提供铝合金精密压铸配套。')
      await switchUser(page, ent.email, ent.password)
      await registerForEvent(page, eventId, '寻找电驱壳体压铸供应商。')
    })

    it('organizer: approves both registrations', async () => {
      await switchUser(page, ORGANIZER)
      await page.goto(`/events/${eventId}/manage?tab=participants`)
      for (const name of [sme.orgName, ent.orgName]) {
        const row = page.locator('[data-testid="participant-row"]', { hasText: name })
        await row.locator('[data-testid="participant-approve"]').click()
        await row.locator('[data-testid="participant-status"][data-status="approved"]').waitFor()
      }
    })

    it('lead enterprise requests a meeting; the SME accepts it', async () => {
      await switchUser(page, ent.email, ent.password)
      await requestMeeting(page, eventId, sme.orgName, '希望当面沟通压铸件的质量与交期。')
      await switchUser(page, sme.email, sme.password)
      await acceptMeeting(page, eventId, ent.orgName)
    })

    it('organizer: runs the scheduler and publishes', async () => {
      await switchUser(page, ORGANIZER)
      await page.goto(`/events/${eventId}/manage?tab=schedule`)
      await page.locator('[data-testid="schedule-panel"]').waitFor()
      await page.locator('[data-testid="schedule-run"]').click()
      await page.locator('[data-testid="schedule-stats"]').waitFor()
      await settled(page)
      assert.equal(await page.locator('[data-testid="schedule-meeting"]').count(), 1, 'the one accepted request is on the grid')
      await page.locator('[data-testid="schedule-publish"]').click()
      await page.locator('.el-message--success').filter({ hasText: '日程已发布' }).waitFor()
    })

    it('SME: the agenda shows the meeting and the calendar file holds it', async () => {
      await switchUser(page, sme.email, sme.password)
      assertMeetingInCalendar(await agendaCalendar(page, eventId, ent.orgName), ent.orgName)
    })
  },
)
