// Shared pieces of the end-to-end tests: the browser (Debian's Chromium driven
// by playwright-core; no browser is ever downloaded), the server under test
// (RONGTONG_URL, e.g. http://127.0.0.1:8080 for `rongtong serve`), fresh
// accounts and codes, and the axe-core accessibility check.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

/** switchUser forgets the page's login and logs in as another user through the form. */
export async function switchUser(page, login, password = DEMO_PASSWORD) {
  await page.goto('/login')
  await page.evaluate(() => localStorage.clear())
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
