// The inbox's unread count, shown as a badge in the top bar. It is polled
// while someone is signed in and refreshed after every pairing action, so
// the badge follows answers from the other side without a page reload.

import { defineStore } from 'pinia'
import { ref } from 'vue'
import { inboxApi } from '@/api/pairings'

/** INBOX_POLL_MS is how often the unread count is asked for. */
export const INBOX_POLL_MS = 60_000

export const useInboxStore = defineStore('inbox', () => {
  const unread = ref(0)
  let timer: ReturnType<typeof setInterval> | null = null

  /** refresh asks for the unread count; a failure keeps the last count. */
  async function refresh() {
    try {
      unread.value = (await inboxApi.unread()).unread
    } catch {
      // offline or signed out: the badge keeps its last value
    }
  }

  /** start polls until stop; calling it twice keeps one timer. */
  function start() {
    if (timer) return
    void refresh()
    timer = setInterval(() => void refresh(), INBOX_POLL_MS)
  }

  function stop() {
    if (timer) clearInterval(timer)
    timer = null
    unread.value = 0
  }

  /** markRead marks entries read (all when ids is absent) and refreshes the count. */
  async function markRead(ids?: string[]) {
    await inboxApi.read(ids)
    await refresh()
  }

  return { unread, refresh, start, stop, markRead }
})
