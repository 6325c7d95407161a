// Status changes and deletion of listings, with the confirmations and
// messages around them, shared by "my listings" and the detail page.

import { useI18n } from 'vue-i18n'
import { listingsApi } from '@/api/listings'
import { isApiError } from '@/api/client'
import { useErrorText } from './useErrorText'
import type { Listing, Status } from '@/api/types'

export function useListingActions() {
  const { t } = useI18n()
  const errorText = useErrorText()

  /** changeStatus moves a listing and returns it updated, or null if it failed (the user is told why). */
  async function changeStatus(l: Listing, to: Status): Promise<Listing | null> {
    if (to === 'closed' || to === 'awarded') {
      try {
        await ElMessageBox.confirm(t(`listing.confirm.${to}`, { title: l.title }), t('listing.confirm.title'), {
          type: 'warning',
          confirmButtonText: t('form.confirm'),
          cancelButtonText: t('form.cancel'),
        })
      } catch {
        return null
      }
    }
    try {
      const updated = await listingsApi.setStatus(l.id, to)
      ElMessage.success(t('listing.statusChanged', { status: t(`enums.status.${to}`) }))
      return updated
    } catch (e) {
      // A 409 names the moves that are open from the listing's current status.
      if (isApiError(e) && e.status === 409 && e.problem.allowed?.length) {
        const allowed = e.problem.allowed.map((s) => t(`enums.status.${s}`)).join(t('list.separator'))
        ElMessage.error(t('listing.illegalTransition', { allowed }))
      } else {
        ElMessage.error(errorText(e))
      }
      return null
    }
  }

  /** remove deletes a listing after confirmation; it reports whether it did. */
  async function remove(l: Listing): Promise<boolean> {
    try {
      await ElMessageBox.confirm(t('listing.confirm.delete', { title: l.title }), t('listing.confirm.title'), {
        type: 'warning',
        confirmButtonText: t('form.delete'),
        cancelButtonText: t('form.cancel'),
        confirmButtonClass: 'el-button--danger',
      })
    } catch {
      return false
    }
    try {
      await listingsApi.remove(l.id)
      ElMessage.success(t('listing.deleted'))
      return true
    } catch (e) {
      ElMessage.error(errorText(e))
      return false
    }
  }

  return { changeStatus, remove }
}
