// With SCREENSHOTS=1, writes the README's screenshots of the event and
// cultivation pages (in Chinese) to docs/screenshots/, as the demo data
// set's accounts: the organizer's schedule grid of the demo matchmaking
// event, an SME's agenda at it and the cultivation dashboard.
// supplier.test.mjs takes the search and matching pages.

import { describe, it } from 'node:test'
import { SHOTS, SKIP, demoEventId, logIn, loginToken, openBrowser, shoot } from './lib.mjs'

const ADMIN = process.env.RONGTONG_ADMIN_LOGIN
const PASSWORD = process.env.RONGTONG_ADMIN_PASSWORD

describe('screenshots of the event and cultivation pages', { skip: SKIP || (!SHOTS && 'set SCREENSHOTS=1') }, () => {
  it('takes them as the demo accounts', async () => {
    const eventId = await demoEventId(await loginToken('organizer@demo.rongtong.cn', PASSWORD))
    const shots = [
      ['organizer@demo.rongtong.cn', `/events/${eventId}/manage?tab=schedule`, '[data-testid="schedule-grid"]', 'event-schedule'],
      ['sme@demo.rongtong.cn', `/events/${eventId}?tab=agenda`, '[data-test="agenda-ics"]', 'event-agenda'],
      [ADMIN, '/admin/dashboard', '[data-test="dashboard-total"]', 'dashboard'],
    ]
    for (const [login, path, ready, name] of shots) {
      // a browser of its own for each account: the login is kept per profile
      const b = await openBrowser()
      try {
        const page = await b.context.newPage()
        await logIn(page, login, PASSWORD)
        await page.goto(path)
        await page.locator(ready).first().waitFor()
        await shoot(page, name)
      } finally {
        await b.close()
      }
    }
  })
})
