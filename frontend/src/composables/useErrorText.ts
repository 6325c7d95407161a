import { useI18n } from 'vue-i18n'
import { isApiError } from '@/api/client'
import { problemMessage } from './problemMessage'

/** useErrorText returns a function turning anything thrown into a message for the user. */
export function useErrorText() {
  const { t, te } = useI18n()
  return (err: unknown): string => (isApiError(err) ? problemMessage(err, t, te) : t('problem.unknown'))
}
