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
// API here (the organizer's pages have their own test, and the journey test
// drives them). The SME is verified by an admin and publishes a capability so
// that the matching engine scores the lead enterprises for it
// (RONGTONG_ADMIN_LOGIN, RONGTONG_ADMIN_PASSWORD).

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  SKIP,
  acceptMeeting,
  agendaCalendar,
  api,
  assertMeetingInCalendar,
  capabilityInput,
  check,
  checkPhone,
  demoEventId,
  logIn,
  loginToken,
  openBrowser,
  registerForEvent,
  requestMeeting,
  seedAccount,
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
      await check(page, `/events/${eventId}`, { ready: '[data-test="registration-form"]' })
      const p = await registerForEvent(page, eventId, '寻求新能源汽车结构件的压铸配套合作。', ['pm6'])
      participantId = p.id
      assert.deepEqual(p.unavailable, ['pm6'])
      await page.locator('[data-test="own-pending"]').waitFor()
      await checkPhone(page, `/events/${eventId}`, '[data-test="registration-form"]')
    })

    it('once approved, browses the participants with scores and requests a meeting', async () => {
      await api('POST', `/events/${eventId}/participants/${participantId}/decision`, { status: 'approved' }, organizer)
      await check(page, `/events/${eventId}?tab=participants`, { ready: '[data-test="participant-list"]' })
      await page.locator('[data-test="own-status"][data-status="approved"]').waitFor()
      const scores = await page
        .locator('[data-test="participant-list"] [data-test="participant-score"]')
        .evaluateAll((els) => els.map((e) => Number(e.dataset.score)))
      assert.ok(scores.length > 0, 'the engine scores participants')
      assert.deepEqual(
        scores,
        [...scores].sort((a, b) => b - a),
        'the best-scored first',
      )

      // The type filter keeps lead enterprises only.
      await page.locator('[data-test="filter-kind"]').click()
      await page.getByRole('option', { name: '龙头企业', exact: true }).click()
      const kinds = await page.locator('[data-test="participant-list"] li .muted').first().innerText()
      assert.match(kinds, /龙头企业/)

      const row = await requestMeeting(page, eventId, entName, '希望就电驱壳体压铸配套面谈。')
      assert.equal(await page.locator('[data-test="participant-list"] li').count(), 1)
      assert.equal(await row.locator('[data-test="request-meeting"]').count(), 0)
      await checkPhone(page, `/events/${eventId}?tab=participants`, '[data-test="participant-list"]')
      await check(page, `/events/${eventId}?tab=requests`, { ready: '[data-test="requests-sent"] [data-status="pending"]' })
    })

    it('the lead enterprise accepts the request in its own list', async () => {
      await switchUser(page, ENTERPRISE)
      const row = await acceptMeeting(page, eventId, sme.orgName)
      assert.equal(await row.locator('[data-test="request-accept"]').count(), 0)
      await checkPhone(page, `/events/${eventId}?tab=requests`, '[data-test="requests-received"]')
    })

    it('after publication the agenda shows the meeting and the calendar file parses', async () => {
      await api('POST', `/events/${eventId}/schedule/run`, { seed: 3, budgetMs: 2000, keepPublished: true }, organizer)
      await api('POST', `/events/${eventId}/schedule/publish`, undefined, organizer)

      await switchUser(page, sme.email, sme.password)
      assertMeetingInCalendar(await agendaCalendar(page, eventId, entName), entName)
      await check(page, `/events/${eventId}?tab=agenda`, { ready: '[data-test="agenda-item"]' })
      await checkPhone(page, `/events/${eventId}?tab=agenda`, '[data-test="agenda-item"]')
    })

    it('shows the organizer the way to the management page, not a registration form', async () => {
      await switchUser(page, ORGANIZER)
      await page.goto(`/events/${eventId}`)
      await page.locator('[data-test="organizer-note"]').waitFor()
      assert.equal(await page.locator('[data-test="registration-form"]').count(), 0)
      await page.locator('[data-test="event-manage"]').click()
      await page.waitForURL((u) => u.pathname === `/events/${eventId}/manage`)
    })
  },
)
