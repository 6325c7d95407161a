// Places the API's field errors (problem+json "errors") beside the form
// fields they name, and keeps the rest for an alert above the form.

import { computed, reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { isApiError } from '@/api/client'
import type { FieldError } from '@/api/types'
import { problemMessage } from './problemMessage'

/**
 * candidates lists where an error about field may be shown, most specific
 * first: "capacity.value" → capacity.value, capacity; "industries[2]" →
 * industries[2], industries.
 */
export function candidates(field: string): string[] {
  const out = [field]
  let f = field
  for (;;) {
    if (/\[\d+\]$/.test(f)) f = f.replace(/\[\d+\]$/, '')
    else if (f.includes('.')) f = f.slice(0, f.lastIndexOf('.'))
    else return out
    out.push(f)
  }
}

/** placeErrors maps each field error to a placed field, or leaves it unplaced. */
export function placeErrors(errors: FieldError[], placed?: readonly string[]) {
  const byField: Record<string, FieldError> = {}
  const unplaced: FieldError[] = []
  for (const fe of errors) {
    const at = placed ? candidates(fe.field).find((c) => placed.includes(c)) : fe.field
    if (at && !byField[at]) byField[at] = fe
    else if (!at) unplaced.push(fe)
  }
  return { byField, unplaced }
}

export function useFormErrors(placed?: () => readonly string[]) {
  const { t, te, locale } = useI18n()
  const fields = reactive<Record<string, string>>({})
  const general = ref('')
  const unplaced = ref<{ field: string; text: string }[]>([])

  /** fieldText is the message shown for one field error: by its code in zh-CN, the server's words in English. */
  function fieldText(fe: FieldError): string {
    const key = `fieldError.${fe.code}`
    if (locale.value.startsWith('en') && fe.message) return fe.message.charAt(0).toUpperCase() + fe.message.slice(1)
    return te(key) ? t(key) : fe.message
  }

  function clear(field?: string) {
    if (field) {
      delete fields[field]
      return
    }
    for (const k of Object.keys(fields)) delete fields[k]
    general.value = ''
    unplaced.value = []
  }

  function set(field: string, text: string) {
    if (text) fields[field] = text
    else delete fields[field]
  }

  /** apply shows a failed request: field errors beside their fields, the rest above the form. It returns false for a value that is not an API error. */
  function apply(err: unknown): boolean {
    clear()
    if (!isApiError(err)) {
      general.value = t('problem.unknown')
      return false
    }
    const { byField, unplaced: rest } = placeErrors(err.fieldErrors, placed?.())
    for (const [f, fe] of Object.entries(byField)) fields[f] = fieldText(fe)
    unplaced.value = rest.map((fe) => ({ field: fe.field, text: fieldText(fe) }))
    general.value = problemMessage(err, t, te)
    return true
  }

  const hasErrors = computed(() => !!general.value || Object.keys(fields).length > 0)

  return { fields, general, unplaced, hasErrors, apply, clear, set, fieldText }
}
