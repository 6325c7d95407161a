// A listing's life through the UI: an SME writes a capability (tags, a
// cascader searched by name, an amount), saves it as a draft, publishes it,
// finds it on its detail page, closes it, publishes it again and deletes it.

import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SKIP, logIn, openBrowser, seedAccount } from './lib.mjs'

describe('a capability from draft to deletion', { skip: SKIP }, () => {
  let browser
  let page
  let me
  const title = `铝合金压铸件加工 ${Date.now().toString(36)}`

  before(async () => {
    me = await seedAccount('sme')
    browser = await openBrowser()
    page = await browser.context.newPage()
    await logIn(page, me.email, me.password)
  })
  after(async () => browser?.close())

  it('saves a draft with the kind’s fields', async () => {
    await page.goto('/my/listings/new')
    await page.locator('[data-test="kind-choices"] button').first().click()
    const form = page.locator('[data-test="listing-form"][data-kind="capability"]')
    await form.waitFor()
    await form.locator('[data-field="title"] input').fill(title)
    const processes = form.locator('[data-field="processes"] input')
    await processes.fill('压铸')
    await processes.press('Enter')
    await processes.fill('数控加工')
    await processes.press('Enter')
    await form.locator('[data-field="certifications"] button', { hasText: 'IATF16949' }).click()
    await form.locator('[data-field="capacity"] input').first().fill('500000')
    await form.locator('[data-field="capacity"] input').nth(1).fill('件')
    // The region cascader: type part of a name and pick the match.
    await form.locator('[data-field="regionsServed"] .el-cascader').click()
    await form.locator('[data-field="regionsServed"] .el-cascader__search-input').fill('北仑')
    await page.locator('.el-cascader__suggestion-item', { hasText: '北仑区' }).first().click()
    await page.keyboard.press('Escape')

    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/listings') && r.request().method() === 'POST'),
      form.locator('[data-test="listing-save-draft"]').click(),
    ])
    assert.equal(res.status(), 201)
    const sent = res.request().postDataJSON()
    assert.deepEqual(
      {
        kind: sent.kind,
        status: sent.status,
        processes: sent.processes,
        certifications: sent.certifications,
        capacity: sent.capacity,
        regionsServed: sent.regionsServed,
      },
      {
        kind: 'capability',
        status: 'draft',
        processes: ['压铸', '数控加工'],
        certifications: ['IATF16949'],
        capacity: { value: 500000, unit: '件', per: 'year' },
        regionsServed: ['330206'],
      },
    )
    await page.waitForURL(/\/listings\/[0-9a-f]+$/)
    await page.locator('h1', { hasText: title }).waitFor()
    await page.locator('[data-status="draft"]').waitFor()
  })

  it('publishes, closes and publishes again from "my listings"', async () => {
    await page.goto('/my/listings')
    const card = page.locator('[data-test="my-listings"] article', { hasText: title })
    await card.waitFor()
    await card.locator('[data-test="to-published"]').click()
    await card.locator('[data-status="published"]').waitFor()

    await card.locator('[data-test="to-closed"]').click()
    await page.locator('.el-message-box').waitFor()
    await page.locator('.el-message-box .el-button--primary').click()
    await card.locator('[data-status="closed"]').waitFor()

    await card.locator('[data-test="to-published"]').click()
    await card.locator('[data-status="published"]').waitFor()
  })

  it('shows the published listing to everyone, by name', async () => {
    await page.goto('/my/listings')
    await page.locator('[data-test="my-listings"] article', { hasText: title }).locator('h3 a').click()
    await page.locator('h1', { hasText: title }).waitFor()
    const text = await page.locator('main').innerText()
    for (const want of ['压铸', '数控加工', 'IATF16949', '浙江省宁波市北仑区'])
      assert.ok(text.includes(want), `the detail page shows ${want}`)
  })

  it('deletes the listing after confirmation', async () => {
    await page.goto('/my/listings')
    const card = page.locator('[data-test="my-listings"] article', { hasText: title })
    await card.locator('button', { hasText: '删除' }).click()
    await page.locator('.el-message-box').waitFor()
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'DELETE'),
      page.locator('.el-message-box .el-button--danger').click(),
    ])
    assert.equal(res.status(), 204)
    await card.waitFor({ state: 'detached' })
  })
})
