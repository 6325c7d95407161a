// Accessibility of every page built so far: axe-core, injected into the page,
// must find no serious or critical violation; and every page must fit a
// 375 px wide phone without scrolling sideways.
//
// The admin pages need an admin account: RONGTONG_ADMIN_LOGIN and
// RONGTONG_ADMIN_PASSWORD (e.g. the demo's admin@demo.rongtong.cn).

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SKIP, api, axeViolations, check, checkPhone, logIn, openBrowser, seedAccount } from './lib.mjs'

describe('accessibility: pages open to everyone', { skip: SKIP }, () => {
  let browser
  let page
  before(async () => {
    browser = await openBrowser()
    page = await browser.context.newPage()
  })
  after(async () => browser?.close())

  for (const [path, ready] of [
    ['/login', '[data-test="login-form"]'],
    ['/register', '[data-test="register-form"]'],
    ['/listings', '[data-test="listing-filters"]'],
    ['/search?q=压铸', '[data-test="search-hit"]'],
    ['/enterprises', '[data-test="enterprise-list"]'],
    ['/no-such-page', 'h1'],
  ]) {
    it(`${path} (desktop and phone)`, async () => {
      await check(page, path, { ready })
      await checkPhone(page, path, ready)
    })
  }

  it('/login in English', async () => {
    await page.goto('/login')
    await page.locator('[data-test="lang-switch"]').click()
    await page.locator('[data-test="lang-en"]').click()
    await page.locator('html[lang="en"]').waitFor()
    await check(page, '/login', { ready: '[data-test="login-form"]' })
    await page.evaluate(() => localStorage.removeItem('rongtong.locale'))
  })
})

describe('accessibility: an SME’s pages', { skip: SKIP }, () => {
  let browser
  let page
  let me
  let listingId
  before(async () => {
    me = await seedAccount('sme')
    const { accessToken } = await api('POST', '/auth/login', { login: me.email, password: me.password })
    const l = await api(
      'POST',
      '/listings',
      {
        kind: 'capability',
        title: '铝合金压铸件加工',
        description: '年产能 50 万件，可承接 200–2000 吨压铸。',
        processes: ['压铸', '数控加工'],
        certifications: ['ISO9001'],
        capacity: { value: 500000, unit: '件', per: 'year' },
        industries: ['3391'],
        regionsServed: ['330200'],
      },
      accessToken,
    )
    listingId = l.id
    browser = await openBrowser()
    page = await browser.context.newPage()
    await logIn(page, me.email, me.password)
  })
  after(async () => browser?.close())

  const pages = () => [
    ['/', 'h1'],
    ['/org', '[data-test="org-form"]'],
    ['/my/listings', '[data-test="my-listings"]'],
    ['/my/listings/new', '[data-test="kind-choices"]'],
    ['/my/listings/new?kind=capability', '[data-test="listing-form"]'],
    ['/my/listings/new?kind=tech', '[data-test="listing-form"]'],
    ['/my/listings/new?kind=technead', '[data-test="listing-form"]'],
    ['/my/listings/new?kind=financing', '[data-test="listing-form"]'],
    [`/listings/${listingId}`, 'h1'],
    [`/my/listings/${listingId}/edit`, '[data-test="listing-form"]'],
    ['/account/password', '[data-test="password-form"]'],
  ]

  it('every page (desktop and phone)', async () => {
    for (const [path, ready] of pages()) {
      await check(page, path, { ready })
      await checkPhone(page, path, ready)
    }
  })

  it('the organisation form with the server’s field errors showing', async () => {
    await page.goto('/org')
    await page.locator('[data-field="contact.phone"] input').fill('12345')
    await page.locator('[data-test="org-submit"]').click()
    await page.locator('.form-alert').waitFor()
    await page.locator('[data-field="contact.phone"] .el-form-item__error').waitFor()
    const violations = await axeViolations(page)
    assert.deepEqual(violations, [], 'serious or critical accessibility violations with errors showing')
  })
})

describe('accessibility: a lead enterprise’s and an investor’s forms', { skip: SKIP }, () => {
  let browser
  after(async () => browser?.close())

  it('need and investor forms', async () => {
    browser = await openBrowser()
    const page = await browser.context.newPage()
    for (const [role, kind] of [
      ['enterprise', 'need'],
      ['investor', 'investor'],
    ]) {
      const who = await seedAccount(role)
      await page.evaluate(() => localStorage.clear()).catch(() => undefined)
      await logIn(page, who.email, who.password)
      await check(page, `/my/listings/new?kind=${kind}`, { ready: '[data-test="listing-form"]' })
      await checkPhone(page, `/my/listings/new?kind=${kind}`, '[data-test="listing-form"]')
    }
  })
})

const ADMIN = process.env.RONGTONG_ADMIN_LOGIN
const ADMIN_PASSWORD = process.env.RONGTONG_ADMIN_PASSWORD

describe(
  'accessibility: the admin pages',
  { skip: SKIP || (!ADMIN || !ADMIN_PASSWORD ? 'set RONGTONG_ADMIN_LOGIN and RONGTONG_ADMIN_PASSWORD' : false) },
  () => {
    let browser
    let page
    let dir
    before(async () => {
      browser = await openBrowser()
      page = await browser.context.newPage()
      await logIn(page, ADMIN, ADMIN_PASSWORD)
      dir = mkdtempSync(join(tmpdir(), 'rongtong-e2e-import-'))
    })
    after(async () => {
      await browser?.close()
      if (dir) rmSync(dir, { recursive: true, force: true })
    })

    it('/admin/orgs and /admin/imports (desktop and phone)', async () => {
      for (const [path, ready] of [
        ['/', 'h1'],
        ['/admin/orgs', 'h1'],
        ['/admin/imports', '[data-test="import-form"]'],
      ]) {
        await check(page, path, { ready })
        await checkPhone(page, path, ready)
      }
    })

    it('an import with bad lines shows the per-line error table', async () => {
      // Lines that fail validation import nothing, so the server's data stays as it was.
      const file = join(dir, 'bad.jsonl')
      writeFileSync(
        file,
        [
          JSON.stringify({ kind: 'org', ref: 'e2e-bad-1', name: '', orgType: 'sme' }),
          JSON.stringify({ kind: 'org', ref: 'e2e-bad-2', name: '坏数据', orgType: 'sme', uscc: '913304024877934U6J' }),
        ].join('\n') + '\n',
      )
      await page.goto('/admin/imports')
      await page.locator('#import-file').setInputFiles(file)
      await page.locator('[data-test="import-submit"]').click()
      const report = page.locator('[data-test="import-report"]')
      await report.waitFor()
      assert.equal(await report.locator('[data-count="failed"] dd').innerText(), '2')
      // One row per error: each bad line has at least one, naming its line, ref and field.
      const rows = await report.locator('[data-test="import-errors"] tbody tr').allInnerTexts()
      assert.ok(
        rows.some((r) => /^1\s+e2e-bad-1\s+name/.test(r)),
        rows.join('\n'),
      )
      assert.ok(
        rows.some((r) => /^2\s+e2e-bad-2\s+uscc/.test(r)),
        rows.join('\n'),
      )
      const violations = await axeViolations(page)
      assert.deepEqual(violations, [], 'serious or critical accessibility violations on the import report')
    })
  },
)
