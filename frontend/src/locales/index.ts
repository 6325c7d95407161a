// vue-i18n set-up: zh-CN by default, English on request, the choice kept in
// localStorage; Element Plus follows through <el-config-provider> in App.vue.

import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const LOCALE_STORAGE_KEY = 'rongtong.locale'

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(LOCALE_STORAGE_KEY)
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale
  } catch {
    // storage unavailable: the default
  }
  return 'zh-CN'
}

export function createAppI18n(locale: Locale = initialLocale()) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': zhCN, en },
  })
}

export const i18n = createAppI18n()

/** setLocale switches the UI language and remembers it. */
export function setLocale(l: Locale) {
  i18n.global.locale.value = l
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, l)
  } catch {
    // not remembered; still switched
  }
  applyDocumentLang(l)
}

export function applyDocumentLang(l: Locale) {
  if (typeof document !== 'undefined') document.documentElement.lang = l
}
