// The organizer's event pages end to end: the demo organizer creates an
// event (an invalid form first, its field errors shown beside the fields),
// then on the demo event's manage page rejects and re-approves a
// participant, runs the scheduler, sees the slot × table grid, drags a
// meeting onto a taken cell and sees the scheduler's reason, moves one with
// the keyboard alternative, publishes, checks a participant in, marks a
// meeting held and sees the results. axe-core checks the list and the
// manage page.

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SKIP, axeViolations, check, checkPhone, logIn, openBrowser, settled } from './lib.mjs'

const ORGANIZER = process.env.RONGTONG_ORGANIZER_LOGIN ?? 'organizer@demo.rongtong.cn'
const PASSWORD = process.env.RONGTONG_ORGANIZER_PASSWORD ?? 'Rongtong2026'
const DEMO_EVENT = '宁波汽车零部件产业链供需对接洽谈会'

describe('an organizer runs a matchmaking event', { skip: SKIP }, () => {
  let browser
  let page
  let manageUrl

  before(async () => {
    browser = await openBrowser()
    page = await browser.context.newPage()
    await logIn(page, ORGANIZER, PASSWORD)
  })
  after(async () => browser?.close())

  it('lists the events with a create button and manage links, accessibly', async () => {
    await check(page, '/events', { ready: '[data-testid="event-row"]' })
    await page.locator('[data-testid="event-create"]').waitFor()
    const demo = page.locator('[data-testid="event-row"]', { hasText: DEMO_EVENT })
    await demo.locator('[data-testid="event-manage-link"]').waitFor()
    manageUrl = await demo.locator('[data-testid="event-manage-link"]').getAttribute('href')
    assert.match(manageUrl, /^\/events\/[^/]+\/manage$/)
  })

  it('creates an event, after the field errors of an invalid one', async () => {
    await page.locator('[data-testid="event-create"]').click()
    await page.waitForURL((u) => u.pathname === '/events/new')
    const form = page.locator('[data-testid="event-form"]')
    // No title and no venue: the API names both, shown beside their fields.
    await form.locator('[data-testid="event-form-submit"]').click()
    await form.locator('[data-field="title"] .el-form-item__error').waitFor()
    await form.locator('[data-field="venue"] .el-form-item__error').waitFor()
    assert.equal(new URL(page.url()).pathname, '/events/new')

    await form.locator('input[data-testid="event-title"]').fill(`端到端测试洽谈会 ${Date.now().toString(36)}`)
    await form.locator('input[data-testid="event-venue"]').fill('宁波市会展中心')
    await form.locator('[data-testid="event-form-submit"]').click()
    await page.waitForURL((u) => /^\/events\/[^/]+\/manage$/.test(u.pathname))
    await page.locator('[data-testid="event-status"][data-status="draft"]').waitFor()
    await page.locator('[data-testid="event-status-open"]').click()
    await page.locator('[data-testid="event-status"][data-status="open"]').waitFor()
  })

  it('imports participants from a file and reports the bad rows', async () => {
    await page.locator('[data-testid="participants-import-file"]').setInputFiles({
      name: 'participants.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('uscc,note\n91330206XXXXXXXXX0,格式错误\n'),
    })
    const report = page.locator('[data-testid="participants-import-report"]')
    await report.waitFor()
    assert.equal(await report.locator('[data-count="failed"] dd').innerText(), '1')
    await report.locator('[data-testid="participants-import-errors"]').getByText('2', { exact: true }).waitFor()
  })

  it('approves a participant on the demo event, accessibly', async () => {
    await check(page, manageUrl, { ready: '[data-testid="participant-row"]' })
    const row = page.locator('[data-testid="participant-row"]').first()
    const id = await row.getAttribute('data-participant')
    const mine = page.locator(`[data-testid="participant-row"][data-participant="${id}"]`)
    await mine.locator('[data-testid="participant-reject"]').click()
    await mine.locator('[data-testid="participant-status"][data-status="rejected"]').waitFor()
    await mine.locator('[data-testid="participant-approve"]').click()
    await mine.locator('[data-testid="participant-status"][data-status="approved"]').waitFor()
  })

  it('runs the scheduler and shows the draft on a slot × table grid', async () => {
    await page.getByRole('tab', { name: '排期' }).click()
    await page.locator('[data-testid="schedule-panel"]').waitFor()
    await page.locator('[data-testid="schedule-keep-published"]').click() // reschedule everything
    await page.locator('[data-testid="schedule-run"]').click()
    await page.locator('[data-testid="schedule-stats"]').waitFor()
    await settled(page)
    const grid = page.locator('[data-testid="schedule-grid"]')
    assert.ok((await grid.locator('tbody tr').count()) >= 2, 'a row per slot')
    assert.ok((await grid.locator('[data-testid="schedule-meeting"]').count()) >= 2, 'meetings on the grid')
    // Off the buttons and past the toast: axe checks the page at rest.
    await page.mouse.move(0, 0)
    await page.locator('.el-message').first().waitFor({ state: 'detached' })
    const violations = await axeViolations(page)
    assert.deepEqual(violations, [], 'schedule tab: serious or critical accessibility violations')
  })

  it('refuses a drag onto a taken cell with the reason', async () => {
    const meetings = page.locator('[data-testid="schedule-meeting"]')
    const first = meetings.first()
    const firstSlot = await first.locator('xpath=ancestor::td').getAttribute('data-slot')
    // Another meeting in another slot: its cell is taken.
    const other = page
      .locator(`td[data-testid="schedule-cell"]:not([data-slot="${firstSlot}"]) [data-testid="schedule-meeting"]`)
      .first()
    const target = other.locator('xpath=ancestor::td')
    await first.dragTo(target)
    const alert = page.locator('[data-testid="schedule-move-error"]')
    await alert.waitFor()
    assert.match(await alert.getAttribute('data-code'), /^(table_taken|participant_busy)$/)
    assert.match(await alert.innerText(), /无法调整/)
  })

  it('moves a meeting with the keyboard alternative', async () => {
    const first = page.locator('[data-testid="schedule-meeting"]').first()
    const meetingId = await first.getAttribute('data-meeting')
    const cell = first.locator('xpath=ancestor::td')
    const slot = await cell.getAttribute('data-slot')
    const from = await cell.getAttribute('data-table')
    // A free table of the same slot: the two sides meet no one else there.
    const free = page.locator(`tr[data-slot="${slot}"] td[data-testid="schedule-cell"]:not(.busy):not(.none)`).first()
    const to = await free.getAttribute('data-table')
    await first.focus()
    await page.keyboard.press('Enter')
    const panel = page.locator('[data-testid="schedule-move-panel"]')
    await panel.waitFor()
    await panel.locator('[data-testid="schedule-target-table"]').click()
    await page.getByRole('option', { name: `${to} 号桌`, exact: true }).click()
    await panel.locator('[data-testid="schedule-move"]').click()
    await page.locator(`tr[data-slot="${slot}"] td[data-table="${to}"] [data-meeting="${meetingId}"]`).waitFor()
    assert.notEqual(from, to)
  })

  it('publishes the schedule and opens the printable agenda', async () => {
    await page.locator('[data-testid="schedule-publish"]').click()
    await page.locator('.el-message--success').filter({ hasText: '日程已发布' }).waitFor()
    const [popup] = await Promise.all([
      browser.context.waitForEvent('page'),
      page.locator('[data-testid="schedule-print"]').click(),
    ])
    await popup.waitForFunction((title) => document.body?.innerText.includes(title), DEMO_EVENT)
    await popup.close()
  })

  it('checks a participant in and marks a meeting held', async () => {
    await page.getByRole('tab', { name: '现场签到' }).click()
    const row = page.locator('[data-testid="checkin-row"]:has([data-testid="checkin-button"])').first()
    await row.waitFor()
    const id = await row.getAttribute('data-participant')
    const name = (await row.locator('.name').innerText()).trim()
    await page.locator('input[data-testid="checkin-search"]').fill(name)
    const mine = page.locator(`[data-testid="checkin-row"][data-participant="${id}"]`)
    await mine.locator('[data-testid="checkin-button"]').click()
    await mine.locator('[data-testid="checkin-at"]').waitFor()
    const meeting = page.locator('[data-testid="outcome-row"]').first()
    await meeting.locator('[data-testid="outcome-held"]').click()
    await meeting.locator('[data-testid="outcome-tag"][data-outcome="held"]').waitFor()
  })

  it('shows the results', async () => {
    await page.getByRole('tab', { name: '活动成果' }).click()
    const figures = page.locator('[data-testid="results-figures"]')
    await figures.waitFor()
    const value = async (f) => Number(await figures.locator(`[data-figure="${f}"] dd`).innerText())
    assert.ok((await value('checkedIn')) >= 1)
    assert.ok((await value('held')) >= 1)
    assert.ok((await value('scheduled')) >= 2)
    await page.locator('[data-testid="results-meetings"]').waitFor()
  })

  it('fits a 375 px phone on the list and the manage page', async () => {
    await checkPhone(page, '/events', '[data-testid="event-row"]')
    await checkPhone(page, `${manageUrl}?tab=schedule`, '[data-testid="schedule-grid"]')
  })

  it('lets a participant open, not manage, the event', async () => {
    const other = await openBrowser()
    try {
      const p = await other.context.newPage()
      await logIn(p, 'sme@demo.rongtong.cn', PASSWORD)
      await p.goto('/events')
      const demo = p.locator('[data-testid="event-row"]', { hasText: DEMO_EVENT })
      await demo.locator('[data-testid="event-open-link"]').waitFor()
      assert.equal(await demo.locator('[data-testid="event-manage-link"]').count(), 0)
      assert.equal(await p.locator('[data-testid="event-create"]').count(), 0)
      await p.goto(manageUrl)
      await p.locator('[data-testid="event-manage-forbidden"]').waitFor()
    } finally {
      await other.close()
    }
  })
})
