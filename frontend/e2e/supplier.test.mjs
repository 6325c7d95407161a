// A lead enterprise looks for suppliers: it searches (completion as it types,
// a facet, highlighted hits) and finds a capability an SME has just
// published, opens the matches of its own need, shortlists suppliers from
// both and compares them side by side. axe-core checks each new page on a
// desktop and at 375 px.
//
// The organisations must be verified to be found, so this needs an admin
// account (RONGTONG_ADMIN_LOGIN, RONGTONG_ADMIN_PASSWORD). With SCREENSHOTS=1
// it also writes the README's screenshots (in Chinese) to docs/screenshots/,
// as the demo data set's lead enterprise (RONGTONG_DEMO_ENTERPRISE).

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  SHOTS,
  SHOT_DIR,
  SKIP,
  api,
  axeViolations,
  check,
  checkPhone,
  logIn,
  loginToken,
  needInput,
  openBrowser,
  seedVerified,
  settled,
  shoot,
} from './lib.mjs'

const ADMIN = process.env.RONGTONG_ADMIN_LOGIN
const ADMIN_PASSWORD = process.env.RONGTONG_ADMIN_PASSWORD
const DEMO_ENTERPRISE = process.env.RONGTONG_DEMO_ENTERPRISE ?? 'enterprise@demo.rongtong.cn'

describe(
  'a lead enterprise finds, matches, shortlists and compares suppliers',
  { skip: SKIP || (!ADMIN || !ADMIN_PASSWORD ? 'set RONGTONG_ADMIN_LOGIN and RONGTONG_ADMIN_PASSWORD' : false) },
  () => {
    let browser
    let page
    let sme
    let ent
    let capability
    let need

    before(async () => {
      ;[sme, ent] = await seedVerified(ADMIN, ADMIN_PASSWORD, 'sme', 'enterprise')
      capability = await api(
        'POST',
        '/listings',
        {
          kind: 'capability',
          status: 'published',
          title: `${sme.orgName}镁合金半固态压铸`,
          description: '镁合金、铝合金半固态触变成型与精密压铸，年产 30 万件，配套汽车轻量化结构件。',
          processes: ['压铸', '数控加工'],
          materials: ['镁合金', '铝合金'],
          certifications: ['IATF16949', 'ISO9001'],
          capacity: { value: 300000, unit: '件', per: 'year' },
          industries: ['3391'],
          regionsServed: ['330200'],
        },
        await loginToken(sme.email, sme.password),
      )
      need = await api(
        'POST',
        '/listings',
        needInput({
          title: '新能源汽车铝合金压铸壳体配套',
          description: '寻求铝合金压铸与机加工一体化配套，年需求 10 万件，要求 IATF16949。',
          quantity: { value: 100000, unit: '件', per: 'year' },
        }),
        await loginToken(ent.email, ent.password),
      )
      browser = await openBrowser()
      page = await browser.context.newPage()
      await logIn(page, ent.email, ent.password)
    })
    after(async () => browser?.close())

    it('searches with completion and a facet, finds the published capability and shortlists its owner', async () => {
      await page.goto('/search')
      const input = page.locator('#search-q')
      // Completion as one types: the SME's unique name is suggested.
      await input.pressSequentially(sme.orgName, { delay: 10 })
      const suggestion = page.locator('.el-autocomplete-suggestion li', { hasText: sme.orgName }).first()
      await suggestion.waitFor()
      await suggestion.click()
      await page.waitForURL((u) => u.searchParams.get('q') === sme.orgName)

      const hit = page.locator(`[data-test="search-hit"]:has(a[href="/listings/${capability.id}"])`)
      await hit.waitFor()
      assert.ok((await hit.locator('mark').count()) > 0, 'the hit highlights the words searched for')
      assert.match(await page.locator('[data-test="search-total"]').innerText(), /\d/)

      // The kind facet narrows to capabilities, and the URL keeps it.
      await page.locator('[data-facet="kind"] button[data-value="capability"]').click()
      await page.waitForURL((u) => u.searchParams.get('kind') === 'capability')
      await hit.waitFor()
      await settled(page)
      const kinds = await page.locator('[data-test="search-hit"]').evaluateAll((els) => els.map((e) => e.dataset.kind))
      assert.ok(kinds.length > 0 && kinds.every((k) => k === 'capability'), `kinds after the facet: ${kinds}`)
      assert.equal(await page.locator('[data-facet="kind"] button[data-value="capability"]').getAttribute('aria-pressed'), 'true')

      // A reload brings the same results back from the URL.
      await page.reload()
      await hit.waitFor()

      const star = hit.locator('[data-test="shortlist-toggle"]')
      await star.click()
      assert.equal(await star.getAttribute('aria-pressed'), 'true')
      assert.equal(await star.getAttribute('data-org'), sme.orgId)
      assert.deepEqual(
        await check(page, page.url().replace(/^https?:\/\/[^/]+/, ''), { ready: '[data-test="search-hit"]' }),
        undefined,
      )
    })

    it('shows the error of a bad query and an empty result', async () => {
      await page.goto('/search?kind=nonsense')
      await page.locator('.state-error[role="alert"]').waitFor()
      await page.goto(`/search?q=${encodeURIComponent('完全不存在的关键词qzxv')}`)
      await page.locator('.el-empty').waitFor()
    })

    it('opens the matches of its need, with scores and reasons, and shortlists a match', async () => {
      await page.goto(`/listings/${need.id}`)
      const panel = page.locator('[data-test="matches"]')
      const first = panel.locator('[data-test="match"]').first()
      await first.waitFor()
      const meter = first.locator('[role="meter"]').first()
      const score = Number(await meter.getAttribute('aria-valuenow'))
      assert.ok(score >= 0 && score <= 100, `score ${score}`)
      assert.match(await meter.getAttribute('aria-label'), /匹配度 \d+ 分/)
      assert.ok((await first.locator('.reasons li').count()) > 0, 'the best match gives its reasons')
      // Reasons come rendered in the UI language, not as codes.
      assert.doesNotMatch(await first.locator('.reasons li').first().innerText(), /^[a-z_]+$/)

      // The score's parts open on request.
      await first.locator('.match-parts summary').click()
      assert.ok((await first.locator('.match-parts li').count()) > 0)

      // A need can also be matched to capabilities.
      await panel.locator('[data-test="match-target"] label', { hasText: '配套能力' }).click()
      await panel.locator('[data-test="match"][data-kind="capability"]').first().waitFor()
      const star = panel.locator('[data-test="shortlist-toggle"][aria-pressed="false"]').first()
      const orgId = await star.getAttribute('data-org')
      await star.click()
      await panel.locator(`[data-test="shortlist-toggle"][data-org="${orgId}"][aria-pressed="true"]`).first().waitFor()
      await check(page, `/listings/${need.id}`, { ready: '[data-test="match"]' })
    })

    it('compares the shortlisted suppliers side by side', async () => {
      await page.goto('/')
      await page.locator('.side-nav a[href="/shortlist"]').click()
      const items = page.locator('[data-test="shortlist"] li')
      await items.first().waitFor()
      assert.equal(await items.count(), 2)
      await page.locator('[data-test="compare-selected"]').click()
      await page.waitForURL((u) => u.pathname === '/compare')
      const table = page.locator('[data-test="compare-table"]')
      await table.waitFor()
      await settled(page)
      assert.equal(await table.locator('thead th[data-org]').count(), 2)
      const smeColumn = await table
        .locator('thead th[data-org]')
        .evaluateAll((ths, id) => ths.findIndex((th) => th.dataset.org === id), sme.orgId)
      assert.ok(smeColumn >= 0, 'the SME found by search is compared')
      const caps = table.locator('tr[data-row="capabilities"] td').nth(smeColumn)
      assert.match(await caps.innerText(), /镁合金半固态压铸/)
      const region = table.locator('tr[data-row="region"] td').nth(smeColumn)
      assert.match(await region.innerText(), /宁波市/)
      for (const row of ['industry', 'tier', 'certifications'])
        assert.equal(await table.locator(`tr[data-row="${row}"]`).count(), 1)
      assert.deepEqual(await axeViolations(page), [])
    })

    it('every new page passes axe on a desktop and at 375 px', async () => {
      const compare = await page.evaluate(() => location.pathname + location.search)
      for (const [path, ready] of [
        [`/search?q=${encodeURIComponent('压铸')}`, '[data-test="search-hit"]'],
        [`/listings/${need.id}`, '[data-test="match"]'],
        [`/orgs/${sme.orgId}`, '[data-test="org-facts"]'],
        ['/org', '[data-test="matches"]'],
        ['/shortlist', '[data-test="shortlist"]'],
        [compare, '[data-test="compare-table"]'],
        ['/enterprises', '[data-test="enterprise-list"]'],
      ]) {
        await check(page, path, { ready })
        await checkPhone(page, path, ready)
      }
    })

    it(
      'takes the screenshots of the main pages as the demo lead enterprise',
      { skip: !SHOTS && 'set SCREENSHOTS=1' },
      async () => {
        // The demo's accounts share the admin's password; its lead enterprise
        // has needs with matches among the demo SMEs.
        const demo = await openBrowser()
        try {
          const p = await demo.context.newPage()
          const token = await loginToken(DEMO_ENTERPRISE, ADMIN_PASSWORD)
          const me = await api('GET', '/auth/me', undefined, token)
          const needs = await api('GET', `/listings?org=${me.org.id}&kind=need&status=published&limit=1`, undefined, token)
          await logIn(p, DEMO_ENTERPRISE, ADMIN_PASSWORD)

          await p.goto(`/search?q=${encodeURIComponent('注塑')}&kind=capability`)
          await p.locator('[data-test="search-hit"]').first().waitFor()
          await shoot(p, 'search')

          await p.goto(`/listings/${needs.items[0].id}`)
          const panel = p.locator('[data-test="matches"]')
          await panel.locator('[data-test="match"]').first().waitFor()
          const stars = panel.locator('[data-test="shortlist-toggle"]')
          for (let i = 0; i < 3; i++) await stars.nth(i).click()
          await settled(p)
          // The matches under the sticky top bar, with their heading.
          await panel.evaluate((e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 72))
          await p.screenshot({ path: `${SHOT_DIR}matches.png`, animations: 'disabled', caret: 'hide' })

          await p.goto('/shortlist')
          await p.locator('[data-test="shortlist"] li').first().waitFor()
          await shoot(p, 'shortlist')
          await p.locator('[data-test="compare-selected"]').click()
          await p.locator('[data-test="compare-table"]').waitFor()
          await shoot(p, 'compare')

          for (const [name, path, ready] of [
            ['enterprises', '/enterprises', '[data-test="enterprise-list"]'],
            ['listings', '/listings', '[data-test="listing-results"]'],
          ]) {
            await p.goto(path)
            await p.locator(ready).first().waitFor()
            await shoot(p, name)
          }
        } finally {
          await demo.close()
        }
      },
    )
  },
)
