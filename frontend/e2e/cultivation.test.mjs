// The cultivation database in the browser: an admin's dashboard filtered by a
// city and a year, with a chart's data downloaded; the Ningbo admin, scoped to
// 330200, sees only Ningbo; an SME member sees its indicators and the gaps to
// the next tier and gets a field error for a negative tax; axe and the phone
// width on every new page.

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { SKIP, axeViolations, logIn, openBrowser, overflowX, settled } from './lib.mjs'

const PASSWORD = 'Rongtong2026'
const PHONE = { width: 375, height: 812 }

/** rows returns the text of each body row of a chart's table. */
async function rows(page, chart) {
  return page.locator(`[data-test="table-${chart}"] tbody tr`).allInnerTexts()
}

/** pickRegion types into a region cascader and picks the suggestion ending in name. */
async function pickRegion(page, root, name) {
  await root.locator('.el-cascader').click()
  await root.locator('.el-cascader input').fill(name)
  // Suggestions follow the tree: the region itself comes before the regions under it.
  await page.locator('.el-cascader__suggestion-item', { hasText: name }).first().click()
  await page.keyboard.press('Escape')
}

async function assertAccessible(page, what) {
  assert.deepEqual(await axeViolations(page), [], `${what}: serious or critical accessibility violations`)
  await page.setViewportSize(PHONE)
  await settled(page)
  assert.equal(await overflowX(page), 0, `${what} is wider than a 375 px phone`)
  assert.deepEqual(await axeViolations(page), [], `${what} at 375 px: serious or critical accessibility violations`)
  await page.setViewportSize({ width: 1280, height: 900 })
}

describe('cultivation: the province admin’s dashboard', { skip: SKIP }, () => {
  let browser
  let page
  before(async () => {
    browser = await openBrowser()
    page = await browser.context.newPage()
    await logIn(page, 'admin@demo.rongtong.cn', PASSWORD)
  })
  after(async () => browser?.close())

  it('shows every city and the charts with their tables', async () => {
    await page.goto('/admin/dashboard')
    await page.locator('[data-test="chart-cities"] [role="img"]').waitFor()
    await settled(page)
    const cities = await rows(page, 'cities')
    assert.ok(cities.length > 1, `cities: ${cities.length}`)
    assert.ok((await rows(page, 'tiers')).length > 0)
    assert.ok((await rows(page, 'trends')).length > 0)
    const label = await page.locator('[data-test="chart-cities"] [role="img"]').getAttribute('aria-label')
    assert.match(label, /^按设区市: /)
    // The pairing workflow reports its funnel: the panel is there, and it is
    // not the "unavailable" notice shown when no workflow is wired in.
    await page.locator('[data-test="chart-funnel"]').waitFor()
    assert.equal(await page.locator('[data-test="funnel-unavailable"]').count(), 0)
    await page.locator('[data-test="targets"] [data-target]').first().waitFor()
    await assertAccessible(page, '/admin/dashboard')
  })

  it('filters by a city and a year and downloads a chart’s CSV', async () => {
    await page.goto('/admin/dashboard')
    await page.locator('[data-test="chart-cities"]').waitFor()
    await settled(page)
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/admin/dashboard?region=330200')),
      pickRegion(page, page.locator('[data-test="dashboard-filters"]'), '宁波市'),
    ])
    await page.locator('[data-test="dashboard-year"]').click()
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('region=330200&year=2024')),
      page.locator('.el-select-dropdown__item:visible', { hasText: '2024' }).click(),
    ])
    await settled(page)
    await page.locator('[data-test="dashboard-total"]', { hasText: '2024' }).waitFor()
    const cities = await rows(page, 'cities')
    assert.equal(cities.length, 1)
    assert.match(cities[0], /宁波市/)
    const counties = await rows(page, 'counties')
    assert.ok(counties.length > 0)
    assert.ok(
      counties.every((r) => r.includes('3302')),
      counties.join(' | '),
    )

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test="download-cities-csv"]').click(),
    ])
    assert.equal(download.suggestedFilename(), 'rongtong-dashboard-cities-2024.csv')
    const csv = readFileSync(await download.path(), 'utf8')
    assert.match(csv, /宁波市/)
    assert.doesNotMatch(csv, /杭州市/)
  })

  it('lists the cultivated firms, exports them and links to their indicators', async () => {
    await page.goto('/admin/cultivation')
    await page.locator('[data-test="cultivation-orgs"] li').first().waitFor()
    await settled(page)
    await assertAccessible(page, '/admin/cultivation')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test="cultivation-export"]').click(),
    ])
    assert.equal(download.suggestedFilename(), 'rongtong-cultivation.xlsx')
    // An .xlsx is a zip archive.
    assert.equal(
      readFileSync(await download.path())
        .subarray(0, 2)
        .toString(),
      'PK',
    )

    await page.locator('[data-test="cultivation-orgs"] li a').first().click()
    await page.waitForURL(/\/cultivation\/orgs\/[0-9a-f]+$/)
    await page.locator('[data-test="indicators-panel"]').waitFor()
    await settled(page)
    await page.locator('[data-test="eligibility"], [data-test="indicators-empty"]').first().waitFor()
    await assertAccessible(page, '/cultivation/orgs/:id')
  })
  it('downloads the template, imports a workbook and shows the row-by-row report', async () => {
    await page.goto('/admin/cultivation')
    await page.locator('[data-test="cultivation-orgs"] li').first().waitFor()
    await settled(page)
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test="indicator-template"]').click(),
    ])
    assert.equal(template.suggestedFilename(), 'rongtong-indicators-template.xlsx')

    // The list of one county exported, then imported back: its rows equal the
    // stored ones, so the import writes nothing.
    await pickRegion(page, page.locator('[data-test="cultivation-region"]'), '北仑区')
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test="cultivation-export"]').click(),
    ])
    await page.locator('#indicator-file').setInputFiles({
      name: exported.suggestedFilename(),
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: readFileSync(await exported.path()),
    })
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/indicators/import')),
      page.locator('[data-test="indicator-import"]').click(),
    ])
    assert.equal(res.status(), 200)
    const report = await res.json()
    const shown = page.locator('[data-test="indicator-report"]')
    await shown.waitFor()
    const count = async (c) => Number(await shown.locator(`[data-count="${c}"] dd`).innerText())
    assert.ok((await count('rows')) > 0)
    assert.ok((await count('unchanged')) > 0)
    assert.equal(await count('created'), 0)
    assert.equal(await count('updated'), 0)
    const errors = report.errors ?? []
    if (errors.length) {
      const first = await shown.locator('[data-test="indicator-report-errors"] tbody tr').first().innerText()
      assert.match(first, new RegExp(String(errors[0].row)))
    } else {
      await shown.locator('.el-alert--success').waitFor()
    }
    const [reportFile] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test="indicator-report-download"]').click(),
    ])
    assert.equal(reportFile.suggestedFilename(), 'rongtong-indicators-report.xlsx')
    assert.equal(
      readFileSync(await reportFile.path())
        .subarray(0, 2)
        .toString(),
      'PK',
    )
    assert.deepEqual(await axeViolations(page), [], 'import report: serious or critical accessibility violations')
  })
})

describe('cultivation: an admin scoped to Ningbo', { skip: SKIP }, () => {
  let browser
  let page
  before(async () => {
    browser = await openBrowser()
    page = await browser.context.newPage()
    await logIn(page, 'ningbo-admin@demo.rongtong.cn', PASSWORD)
  })
  after(async () => browser?.close())

  it('sees only Ningbo, and only Ningbo to pick', async () => {
    await page.goto('/admin/dashboard')
    await page.locator('[data-test="chart-cities"]').waitFor()
    await settled(page)
    await page.locator('[data-test="dashboard-scope"]', { hasText: '宁波市' }).waitFor()
    const cities = await rows(page, 'cities')
    assert.equal(cities.length, 1)
    assert.match(cities[0], /宁波市/)
    const counties = await rows(page, 'counties')
    assert.ok(counties.length > 0 && counties.every((r) => r.includes('3302')), counties.join(' | '))

    await page.locator('[data-test="dashboard-filters"] .el-cascader').click()
    const firstLevel = page.locator('.el-cascader-panel .el-cascader-menu').first().locator('.el-cascader-node')
    await firstLevel.first().waitFor()
    assert.deepEqual(await firstLevel.allInnerTexts(), ['宁波市'])
    await page.keyboard.press('Escape')
  })
})

describe('cultivation: an SME member’s indicators', { skip: SKIP }, () => {
  let browser
  let page
  before(async () => {
    browser = await openBrowser()
    page = await browser.context.newPage()
    await logIn(page, 'sme@demo.rongtong.cn', PASSWORD)
  })
  after(async () => browser?.close())

  it('shows the yearly figures and the gaps to the next tier', async () => {
    await page.goto('/org')
    await page.locator('[data-test="indicator-table"]').waitFor()
    await settled(page)
    const years = await page.locator('[data-test="indicator-table"] thead th[data-year]').count()
    assert.ok(years > 0)
    assert.match(await page.locator('[data-test="indicator-table"] [data-row="rdRatio"]').innerText(), /%/)
    await page.locator('[data-test="eligibility-tier"]').waitFor()
    const gaps = await page.locator('[data-test="eligibility-gap"]').allInnerTexts()
    assert.ok(gaps.length > 0, 'the demo SME misses the next tier somewhere')
    assert.ok(
      gaps.every((g) => /需达到/.test(g)),
      gaps.join(' | '),
    )
    await assertAccessible(page, '/org (indicators)')
  })

  it('shows the API’s field error beside a negative tax, and saves nothing', async () => {
    await page.goto('/org')
    await page.locator('[data-test="indicator-table"]').waitFor()
    await settled(page)
    const edit = page.locator('[data-test^="indicator-edit-"]').last()
    await edit.click()
    const form = page.locator('[data-test="indicator-form"]')
    await form.waitFor()
    const tax = form.locator('[data-field="taxWan"] input')
    const before = await tax.inputValue()
    await tax.fill('-5')
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/indicators\/\d{4}$/.test(r.url()) && r.request().method() === 'PUT'),
      form.locator('[data-test="indicator-save"]').click(),
    ])
    assert.equal(res.status(), 422)
    await form.locator('[data-field="taxWan"] .el-form-item__error', { hasText: '超出允许范围' }).waitFor()
    assert.equal(await form.locator('.el-form-item__error').count(), 1)
    assert.deepEqual(await axeViolations(page), [], 'indicator form: serious or critical accessibility violations')
    await form.getByRole('button', { name: '取消' }).click()
    await page.reload()
    await page.locator('[data-test="indicator-table"]').waitFor()
    assert.doesNotMatch(await page.locator('[data-test="indicator-table"] [data-row="taxWan"]').innerText(), /-5/)
    assert.notEqual(before, '-5')
  })
})
