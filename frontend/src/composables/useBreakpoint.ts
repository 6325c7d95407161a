import { onBeforeUnmount, ref } from 'vue'

/** MOBILE_MAX is the widest viewport (px) laid out as a phone. */
export const MOBILE_MAX = 768

/** useIsMobile tracks whether the viewport is phone-sized. */
export function useIsMobile() {
  const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(`(max-width: ${MOBILE_MAX}px)`) : null
  const isMobile = ref(query?.matches ?? false)
  const onChange = (e: MediaQueryListEvent) => {
    isMobile.value = e.matches
  }
  query?.addEventListener('change', onChange)
  onBeforeUnmount(() => query?.removeEventListener('change', onChange))
  return isMobile
}
