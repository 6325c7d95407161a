import type { Kind, Status } from '@/api/types'

/** nextStatuses mirrors the server's lifecycle: draft → published → closed; a need may be awarded. */
export function nextStatuses(from: Status, kind: Kind): Status[] {
  switch (from) {
    case 'draft':
      return ['published', 'closed']
    case 'published':
      return kind === 'need' ? ['draft', 'closed', 'awarded'] : ['draft', 'closed']
    case 'closed':
      return ['published']
    default:
      return []
  }
}

/** actionKey names the button that moves a listing from one status to another. */
export function actionKey(from: Status, to: Status): string {
  if (to === 'published') return from === 'closed' ? 'listing.action.reopen' : 'listing.action.publish'
  return `listing.action.${to}`
}
