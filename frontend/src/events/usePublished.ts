// An event's published meetings, for the day's check-in and the results;
// an event never scheduled has none (the server answers 404).

import { ref, shallowRef } from 'vue'
import { isApiError } from '@/api/client'
import { eventsApi, type Meeting } from '@/api/events'

export function usePublished(eventId: () => string) {
  const meetings = shallowRef<Meeting[]>([])
  const loading = ref(false)
  const error = shallowRef<unknown>(null)

  async function load() {
    loading.value = true
    error.value = null
    try {
      meetings.value = (await eventsApi.schedule(eventId())).published ?? []
    } catch (e) {
      if (isApiError(e) && e.status === 404) meetings.value = []
      else error.value = e
    } finally {
      loading.value = false
    }
  }

  function replace(m: Meeting) {
    meetings.value = meetings.value.map((x) => (x.id === m.id ? m : x))
  }

  return { meetings, loading, error, load, replace }
}
