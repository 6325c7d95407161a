// Shared pieces of the end-to-end tests: the browser (Debian's Chromium driven
// by playwright-core; no browser is ever downloaded), the server under test
// (RONGTONG_URL, e.g. http://127.0.0.1:8080 for `rongtong serve`), fresh
// accounts and codes, and the axe-core accessibility check.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)

/** BASE is the server under test, without a trailing slash; empty when not set. */
export const BASE = (process.env.RONGTONG_URL ?? '').replace(/\/+$/, '')
export const SKIP = BASE ? false : 'set RONGTONG_URL to the server under test (e.g. http://127.0.0.1:8080)'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * openBrowser starts Chromium with a fresh profile and returns its context;
 * close() also removes the profile. The UI starts in zh-CN unless told.
 */
let axeCode
function axeSource() {
  axeCode ??= readFileSync(AXE, 'utf8')
  return axeCode
}

export async function openBrowser({ width = 1280, height = 900, locale = 'zh-CN' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'rongtong-e2e-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width, height },
    locale,
    baseURL: BASE,
  })
  context.setDefaultTimeout(15_000)
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

function checkChar(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i]
  return ALPHABET[(31 - (sum % 31)) % 31]
}

/** newUSCC returns a random valid 统一社会信用代码 and one with a wrong check character. */
export function newUSCC() {
  let body = '91330206'
  while (body.length < 17) body += ALPHABET[Math.floor(Math.random() * ALPHABET.length)]
  const good = body + checkChar(body)
  const wrong = ALPHABET[(ALPHABET.indexOf(good[17]) + 1) % ALPHABET.length]
  return { good, bad: body + wrong }
}

/** newAccount returns credentials no earlier run has used. */
export function newAccount(role = 'sme') {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`
  return {
    email: `e2e-${id}@example.com`,
    password: `E2e${id}9`,
    name: `测试${id.slice(-4)}`,
    role,
    orgName: `端到端测试企业${id}`,
  }
}

/** api calls the server under test directly, for set-up that is not under test. */
export async function api(method, path, body, token) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const data = text ? JSON.parse(text) : null
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return data
}

/** seedAccount registers an account with an organisation through the API and returns its credentials. */
export async function seedAccount(role = 'sme') {
  const a = newAccount(role)
  await api('POST', '/auth/register', { email: a.email, password: a.password, name: a.name, role })
  const { accessToken } = await api('POST', '/auth/login', { login: a.email, password: a.password })
  const org = await api(
    'POST',
    '/orgs',
    { name: a.orgName, uscc: newUSCC().good, orgType: role, region: '330206', industry: '3391' },
    accessToken,
  )
  return { ...a, orgId: org.id }
}

/** logIn logs in through the login form and waits for the home page. */
export async function logIn(page, login, password) {
  await page.goto('/login')
  await page.locator('[data-test="login-form"] input[name="login"]').fill(login)
  await page.locator('[data-test="login-form"] input[name="password"]').fill(password)
  await page.locator('[data-test="login-form"] button[type="submit"]').click()
  await page.waitForURL((u) => u.pathname === '/')
}

const AXE = require.resolve('axe-core/axe.min.js')

/**
 * axeViolations runs axe-core on the page and returns the serious and critical
 * violations (WCAG 2.1 A and AA and best practice), one line each.
 */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy
  // (script-src 'self') rightly refuses an injected <script>.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource())
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    })
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }))
  })
  return results
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.targets.join(' | ')}`)
}

/** settled waits until the page has shown its data (no skeletons, no loading masks). */
export async function settled(page) {
  await page.waitForLoadState('networkidle')
  await page.waitForFunction(() => !document.querySelector('.el-skeleton, .el-loading-mask'), null, { timeout: 15_000 })
}

/** overflowX reports how many pixels the page is wider than the viewport (0 when it fits). */
export async function overflowX(page) {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth))
}

/** PHONE is the narrowest viewport every page must fit. */
export const PHONE = { width: 375, height: 812 }

/** check opens a page, lets it load, and asserts that axe finds no serious or critical violation. */
export async function check(page, path, { ready } = {}) {
  await page.goto(path)
  if (ready) await page.locator(ready).first().waitFor()
  await settled(page)
  const violations = await axeViolations(page)
  assert.deepEqual(violations, [], `${path}: serious or critical accessibility violations`)
}

/** checkPhone does the same at 375 px and asserts the page does not scroll sideways. */
export async function checkPhone(page, path, ready) {
  await page.setViewportSize(PHONE)
  await page.goto(path)
  if (ready) await page.locator(ready).first().waitFor()
  await settled(page)
  assert.equal(await overflowX(page), 0, `${path} is wider than a 375 px phone`)
  const violations = await axeViolations(page)
  assert.deepEqual(violations, [], `${path} at 375 px: serious or critical accessibility violations`)
  await page.setViewportSize({ width: 1280, height: 900 })
}

/** DEMO_PASSWORD is the password of the demo accounts (admin@, sme@, enterprise@, organizer@demo.rongtong.cn …). */
export const DEMO_PASSWORD = 'Rongtong2026'

/** loginToken logs in through the API and returns the access token. */
export async function loginToken(login, password = DEMO_PASSWORD) {
  return (await api('POST', '/auth/login', { login, password })).accessToken
}

/** switchUser logs out from the user menu and logs in as another user through the form. */
export async function switchUser(page, login, password = DEMO_PASSWORD) {
  await page.goto('/')
  await page.locator('[data-test="user-menu"]').click()
  await page.locator('[data-test="logout"]').click()
  await page.waitForURL((u) => u.pathname === '/login')
  await logIn(page, login, password)
}

/** demoEventId returns the ID of the demo matchmaking event (洽谈会), the one open event the demo seeds. */
export async function demoEventId(token) {
  const { items } = await api('GET', '/events?status=open&limit=100', undefined, token)
  const e = items.find((x) => x.title.includes('洽谈会'))
  assert.ok(e, 'the demo seeds an open matchmaking event')
  return e.id
}

/**
 * parseICS reads an iCalendar file (RFC 5545): it unfolds the folded lines
 * and returns whether it is a VCALENDAR and each VEVENT's properties by name.
 */
export function parseICS(text) {
  const lines = text
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter(Boolean)
  const events = []
  let cur = null
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') cur = {}
    else if (line === 'END:VEVENT') {
      events.push(cur)
      cur = null
    } else if (cur) {
      const i = line.indexOf(':')
      cur[line.slice(0, i).split(';')[0]] = line
        .slice(i + 1)
        .replace(/\\([,;\\])/g, '$1')
        .replace(/\\n/gi, '\n')
    }
  }
  return { calendar: lines[0] === 'BEGIN:VCALENDAR' && lines.at(-1) === 'END:VCALENDAR', events }
}

/** capabilityInput is a published 配套能力 (die-casting for EV parts) that the demo lead enterprises' needs match. */
export function capabilityInput(orgName) {
  return {
    kind: 'capability',
    status: 'published',
    title: `${orgName}铝合金精密压铸`,
    description: '铝合金精密压铸与数控加工，年产 20 万件，配套新能源汽车结构件。',
    processes: ['压铸', '数控加工'],
    materials: ['铝合金'],
    certifications: ['IATF16949'],
    capacity: { value: 200000, unit: '件', per: 'year' },
    industries: ['3391'],
    regionsServed: ['330200'],
  }
}

/**
 * seedVerified makes a fresh account and organisation for each role and
 * has the admin (login, password) verify the organisations, so that their
 * listings are found and matched.
 */
export async function seedVerified(admin, password, ...roles) {
  const accounts = await Promise.all(roles.map((r) => seedAccount(r)))
  const token = await loginToken(admin, password)
  for (const a of accounts) await api('POST', `/orgs/${a.orgId}/verify`, { verified: true }, token)
  return accounts
}

/** needInput is a published 配套需求 for die-cast EV housings, which capabilityInput matches; fields may be overridden. */
export function needInput(overrides = {}) {
  return {
    kind: 'need',
    status: 'published',
    title: '电驱壳体铝合金压铸配套',
    description: '寻求铝合金压铸与机加工配套，年需求 5 万件，要求 IATF16949。',
    processes: ['压铸', '数控加工'],
    materials: ['铝合金'],
    certificationsRequired: ['IATF16949'],
    quantity: { value: 50000, unit: '件', per: 'year' },
    industry: '3670',
    regionsPreferred: ['330200'],
    ...overrides,
  }
}

/** registerAccount signs a new account up through the registration form and waits for the organisation form. */
export async function registerAccount(page, a) {
  await page.goto('/register')
  const form = page.locator('[data-test="register-form"]')
  await form.locator(`[data-test="role-${a.role}"]`).click()
  await form.locator('input[name="account"]').fill(a.email)
  await form.locator('input[name="name"]').fill(a.name)
  await form.locator('input[name="password"]').fill(a.password)
  await form.locator('input[name="password2"]').fill(a.password)
  await form.locator('button[type="submit"]').click()
  await page.waitForURL((u) => u.pathname === '/org')
  await page.locator('[data-test="org-form"]').waitFor()
}

/** submitOrg fills the organisation form with a name and a credit code, submits it and returns the API's response. */
export async function submitOrg(page, name, uscc) {
  const form = page.locator('[data-test="org-form"]')
  await form.locator('[data-field="name"] input').fill(name)
  await form.locator('[data-field="uscc"] input').fill(uscc)
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/orgs') && r.request().method() === 'POST'),
    form.locator('[data-test="org-submit"]').click(),
  ])
  return res
}

/** pickRef types part of a reference name (industry, region) into a form field's cascader and picks the first match. */
export async function pickRef(page, field, text) {
  await field.locator('.el-cascader').click()
  await field.locator('.el-cascader__search-input').fill(text)
  await page.locator('.el-cascader__suggestion-item', { hasText: text }).first().click()
  await page.keyboard.press('Escape')
}

/** findMatch opens the matches of a listing, chooses the targets of kind targetLabel and returns the match with the title. */
export async function findMatch(page, listingId, targetLabel, title) {
  await page.goto(`/listings/${listingId}`)
  const panel = page.locator('[data-test="matches"]')
  await panel.locator('[data-test="match"]').first().waitFor()
  await panel.locator('[data-test="match-target"] label', { hasText: targetLabel }).click()
  const item = panel.locator('[data-test="match-list"] > li', { hasText: title })
  await item.waitFor()
  return item
}

/**
 * registerForEvent registers the logged-in user's organisation on the
 * event's page: a submit without the required note first, whose error must
 * show beside the field, then with the note (and the slots it cannot
 * attend). It returns the participant as saved.
 */
export async function registerForEvent(page, eventId, note, unavailable = []) {
  await page.goto(`/events/${eventId}`)
  const form = page.locator('[data-test="registration-form"]')
  await form.waitFor()
  await form.locator('[data-test="register-submit"]').click()
  await form.locator('[data-field="note"] .el-form-item__error', { hasText: '此项必填' }).waitFor()
  await form.locator('[data-field="note"] textarea').fill(note)
  for (const slot of unavailable) await form.locator(`[data-slot="${slot}"]`).click()
  const [reg, put] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/events/${eventId}/participants`) && r.request().method() === 'POST'),
    page.waitForResponse((r) => /\/participants\/[^/]+$/.test(r.url()) && r.request().method() === 'PUT'),
    form.locator('[data-test="register-submit"]').click(),
  ])
  assert.equal(reg.status(), 201)
  assert.equal(put.status(), 200)
  await page.locator('[data-test="own-status"][data-status="pending"]').waitFor()
  return put.json()
}

/** requestMeeting finds a participant by name on the event's participants tab and sends it a meeting request; it returns the row. */
export async function requestMeeting(page, eventId, name, message) {
  await page.goto(`/events/${eventId}?tab=participants`)
  const list = page.locator('[data-test="participant-list"]')
  await list.waitFor()
  await page.locator('[data-test="filter-name"]').fill(name)
  const row = list.locator('li', { hasText: name })
  await row.waitFor()
  await row.locator('[data-test="request-meeting"]').click()
  const dialog = page.locator('[data-test="request-dialog"]')
  await dialog.locator('[data-test="request-message"]').fill(message)
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/events/${eventId}/requests`) && r.request().method() === 'POST'),
    dialog.locator('[data-test="request-send"]').click(),
  ])
  assert.equal(res.status(), 201)
  await row.locator('[data-test="request-state"][data-status="pending"]').waitFor()
  return row
}

/** acceptMeeting accepts, on the event's requests tab, the request received from the named participant. */
export async function acceptMeeting(page, eventId, fromName) {
  await page.goto(`/events/${eventId}?tab=requests`)
  const row = page.locator('[data-test="requests-received"] li', { hasText: fromName })
  await row.waitFor()
  await row.locator('[data-test="request-accept"]').click()
  await row.locator('[data-test="request-status"][data-status="accepted"]').waitFor()
  return row
}

/**
 * agendaCalendar opens the event's agenda tab, waits for the meeting with
 * the named counterpart, downloads the calendar file and returns the
 * meeting's ID and the parsed file.
 */
export async function agendaCalendar(page, eventId, counterpart) {
  await page.goto(`/events/${eventId}?tab=agenda`)
  const item = page.locator('[data-test="agenda-item"]', { hasText: counterpart })
  await item.waitFor()
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="agenda-ics"]').click()])
  assert.match(download.suggestedFilename(), /\.ics$/)
  return { meetingId: await item.getAttribute('data-meeting'), ics: parseICS(readFileSync(await download.path(), 'utf8')) }
}

/** assertMeetingInCalendar checks that a parsed calendar holds the meeting, confirmed, with the counterpart in its summary. */
export function assertMeetingInCalendar({ meetingId, ics }, counterpart) {
  assert.ok(ics.calendar, 'a VCALENDAR')
  const ev = ics.events.find((e) => e.UID === `${meetingId}@rongtong`)
  assert.ok(ev, `a VEVENT for meeting ${meetingId}: ${JSON.stringify(ics.events)}`)
  assert.ok(ev.SUMMARY.includes(counterpart), `the summary names ${counterpart}: ${ev.SUMMARY}`)
  assert.equal(ev.STATUS, 'CONFIRMED')
  assert.match(ev.DTSTART, /^\d{8}T\d{6}Z$/)
}

/** verifyOrg verifies an organisation on the admin's queue of unverified ones of its type, paging until it is found. */
export async function verifyOrg(page, name, type) {
  await page.goto(`/admin/orgs?type=${type}`)
  const table = page.locator('[data-test="admin-orgs"]')
  await table.waitFor()
  const row = table.locator('tr', { hasText: name })
  for (let i = 0; i < 10 && !(await row.count()); i++) {
    await settled(page)
    if (await row.count()) break
    await page.locator('nav.pager button', { hasText: '下一页' }).click()
  }
  await row.locator('[data-test="verify"]').click()
  await page.locator('.el-message--success', { hasText: name }).waitFor()
}

/** SHOTS is set (SCREENSHOTS=1) when the tests also take the README's screenshots. */
export const SHOTS = process.env.SCREENSHOTS === '1'
/** SHOT_DIR is where the screenshots go: docs/screenshots/ of the repository. */
export const SHOT_DIR = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

/** shoot saves a screenshot of the page when SCREENSHOTS=1. */
export async function shoot(page, name, { fullPage = false } = {}) {
  if (!SHOTS) return
  mkdirSync(SHOT_DIR, { recursive: true })
  await settled(page)
  await page.screenshot({ path: `${SHOT_DIR}${name}.png`, fullPage, animations: 'disabled', caret: 'hide' })
}
