// Every participant of an event, for naming the two sides of requests and
// meetings: the organizer's pages read them all once (a page of at most 200
// at a time) and look names up by participant ID.

import { computed, ref, shallowRef } from 'vue'
import { eventsApi, type Participant } from '@/api/events'

/** allParticipants reads every page of an event's participants. */
export async function allParticipants(eventId: string): Promise<Participant[]> {
  const out: Participant[] = []
  let cursor: string | undefined
  do {
    const page = await eventsApi.participants(eventId, { limit: 200, cursor })
    out.push(...(page.items ?? []))
    cursor = page.nextCursor || undefined
  } while (cursor)
  return out
}

export function useParticipants(eventId: () => string) {
  const items = shallowRef<Participant[]>([])
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  const byId = computed(() => new Map(items.value.map((p) => [p.id, p])))

  async function load() {
    loading.value = true
    error.value = null
    try {
      items.value = await allParticipants(eventId())
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  /** replace puts an updated participant in place, without reading them all again. */
  function replace(p: Participant) {
    items.value = items.value.map((x) => (x.id === p.id ? p : x))
  }

  /** name is the participant's organisation name, or its ID when unknown. */
  const name = (id: string) => byId.value.get(id)?.org.name ?? id

  return { items, loading, error, byId, load, replace, name }
}

export type Participants = ReturnType<typeof useParticipants>
