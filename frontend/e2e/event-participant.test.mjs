// A participant at a matchmaking event (洽谈会): a new SME registers for the
// demo event (a submit without the required note is refused beside the
// field), is approved, browses the participants with their match scores,
// filters them and requests a meeting with the demo lead enterprise, which
// accepts in its own requests list. Once the organizer has run the
// scheduler and published, the SME's agenda shows the meeting and the
// calendar file downloads and parses. axe-core checks every section on a
// desktop and at 375 px.
//
// The organizer's approval, scheduler run and publication go through the
// API here: the organizer's pages have their own test. The SME is verified
// by an admin and publishes a capability so that the matching engine scores
// the lead enterprises for it (RONGTONG_ADMIN_LOGIN, RONGTONG_ADMIN_PASSWORD).

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  SKIP,
  api,
  capabilityInput,
  check,
  checkPhone,
  demoEventId,
  logIn,
  loginToken,
  openBrowser,
  parseICS,
  seedAccount,
  settled,
  switchUser,
} from './lib.mjs'

const ADMIN = process.env.RONGTONG_ADMIN_LOGIN
const ADMIN_PASSWORD = process.env.RONGTONG_ADMIN_PASSWORD
const ENTERPRISE = 'enterprise@demo.rongtong.cn'
const ORGANIZER = 'organizer@demo.rongtong.cn'

describe(
  'a participant registers for an event, requests a meeting and downloads its agenda',
  { skip: SKIP || (!ADMIN || !ADMIN_PASSWORD ? 'set RONGTONG_ADMIN_LOGIN and RONGTONG_ADMIN_PASSWORD' : false) },
  () => {
    let browser
    let page
    let sme
    let eventId
    let organizer
    let entName
    let participantId

    before(async () => {
      sme = await seedAccount('sme')
      const admin = await loginToken(ADMIN, ADMIN_PASSWORD)
      await api('POST', `/orgs/${sme.orgId}/verify`, { verified: true }, admin)
      // A published capability, from which the engine scores the lead enterprises.
      await api('POST', '/listings', capabilityInput(sme.orgName), await loginToken(sme.email, sme.password))
      organizer = await loginToken(ORGANIZER)
      eventId = await demoEventId(organizer)
      entName = (await api('GET', '/auth/me', undefined, await loginToken(ENTERPRISE))).org.name
      browser = await openBrowser()
      page = await browser.context.newPage()
    })
    after(async () => browser?.close())

    it('registers, after a submit without a note is refused beside the field', async () => {
      await logIn(page, sme.email, sme.password)
      await page.goto(`/events/${eventId}`)
      const form = page.locator('[data-test="registration-form"]')
      await form.waitFor()
      await check(page, `/events/${eventId}`, { ready: '[data-test="registration-form"]' })
      await form.locator('[data-test="register-submit"]').click()
      await form.locator('[data-field="note"] .el-form-item__error', { hasText: '此项必填' }).waitFor()

      await form.locator('[data-field="note"] textarea').fill('寻求新能源汽车结构件的压铸配套合作。')
      await form.locator('[data-slot="pm6"]').click()
      const [reg, put] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/events/${eventId}/participants`) && r.request().method() === 'POST'),
        page.waitForResponse((r) => /\/participants\/[^/]+$/.test(r.url()) && r.request().method() === 'PUT'),
        form.locator('[data-test="register-submit"]').click(),
      ])
      assert.equal(reg.status(), 201)
      assert.equal(put.status(), 200)
      const p = await put.json()
      participantId = p.id
      assert.deepEqual(p.unavailable, ['pm6'])
      await page.locator('[data-test="own-status"][data-status="pending"]').waitFor()
      await page.locator('[data-test="own-pending"]').waitFor()
      await checkPhone(page, `/events/${eventId}`, '[data-test="registration-form"]')
    })

    it('once approved, browses the participants with scores and requests a meeting', async () => {
      await api('POST', `/events/${eventId}/participants/${participantId}/decision`, { status: 'approved' }, organizer)
      await page.goto(`/events/${eventId}?tab=participants`)
      const list = page.locator('[data-test="participant-list"]')
      await list.waitFor()
      await page.locator('[data-test="own-status"][data-status="approved"]').waitFor()
      assert.ok((await list.locator('[data-test="participant-score"]').count()) > 0, 'the engine scores participants')
      // The best-scored first.
      const scores = await list
        .locator('[data-test="participant-score"]')
        .evaluateAll((els) => els.map((e) => Number(e.dataset.score)))
      assert.deepEqual(
        scores,
        [...scores].sort((a, b) => b - a),
      )
      await check(page, `/events/${eventId}?tab=participants`, { ready: '[data-test="participant-list"]' })

      await page.locator('[data-test="filter-name"]').fill(entName)
      const row = list.locator('li', { hasText: entName })
      await row.waitFor()
      assert.equal(await list.locator('li').count(), 1)
      await row.locator('[data-test="request-meeting"]').click()
      const dialog = page.locator('[data-test="request-dialog"]')
      await dialog.locator('[data-test="request-message"]').fill('希望就电驱壳体压铸配套面谈。')
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/events/${eventId}/requests`) && r.request().method() === 'POST'),
        dialog.locator('[data-test="request-send"]').click(),
      ])
      assert.equal(res.status(), 201)
      await row.locator('[data-test="request-state"][data-status="pending"]').waitFor()
      await checkPhone(page, `/events/${eventId}?tab=participants`, '[data-test="participant-list"]')
      await check(page, `/events/${eventId}?tab=requests`, { ready: '[data-test="requests-sent"] [data-status="pending"]' })
    })

    it('the lead enterprise accepts the request in its own list', async () => {
      await switchUser(page, ENTERPRISE)
      await page.goto(`/events/${eventId}?tab=requests`)
      const row = page.locator('[data-test="requests-received"] li', { hasText: sme.orgName })
      await row.waitFor()
      await row.locator('[data-test="request-accept"]').click()
      await row.locator('[data-test="request-status"][data-status="accepted"]').waitFor()
      assert.equal(await row.locator('[data-test="request-accept"]').count(), 0)
      await checkPhone(page, `/events/${eventId}?tab=requests`, '[data-test="requests-received"]')
    })

    it('after publication the agenda shows the meeting and the calendar file parses', async () => {
      await api('POST', `/events/${eventId}/schedule/run`, { seed: 3, budgetMs: 2000, keepPublished: true }, organizer)
      await api('POST', `/events/${eventId}/schedule/publish`, undefined, organizer)

      await switchUser(page, sme.email, sme.password)
      await page.goto(`/events/${eventId}?tab=agenda`)
      const item = page.locator('[data-test="agenda-item"]', { hasText: entName })
      await item.waitFor()
      await settled(page)
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="agenda-ics"]').click()])
      assert.match(download.suggestedFilename(), /\.ics$/)
      const ics = parseICS(readFileSync(await download.path(), 'utf8'))
      assert.ok(ics.calendar, 'a VCALENDAR')
      const meetingId = await item.getAttribute('data-meeting')
      const ev = ics.events.find((e) => e.UID === `${meetingId}@rongtong`)
      assert.ok(ev, `a VEVENT for meeting ${meetingId}: ${JSON.stringify(ics.events)}`)
      assert.match(ev.SUMMARY, new RegExp(entName.replace(/[()（）]/g, '.')))
      assert.equal(ev.STATUS, 'CONFIRMED')
      assert.match(ev.DTSTART, /^\d{8}T\d{6}Z$/)
      await check(page, `/events/${eventId}?tab=agenda`, { ready: '[data-test="agenda-item"]' })
      await checkPhone(page, `/events/${eventId}?tab=agenda`, '[data-test="agenda-item"]')
    })
  },
)
