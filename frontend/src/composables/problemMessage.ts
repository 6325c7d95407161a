import type { ApiError } from '@/api/client'

type T = (key: string, named?: Record<string, unknown>) => string
type TE = (key: string) => boolean

/** problemMessage is the one-line message of a failed request, by its problem type, with the request ID for support. */
export function problemMessage(err: ApiError, t: T, te: TE): string {
  const key = `problem.${err.code}`
  let msg = te(key) ? t(key) : err.problem.detail || err.problem.title || t('problem.unknown')
  if (err.problem.requestId && err.status >= 500) msg += ` ${t('problem.requestId', { id: err.problem.requestId })}`
  return msg
}
