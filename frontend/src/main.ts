import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createAppRouter } from './router'
import { applyDocumentLang, i18n } from './locales'
import { http } from './api/client'
import { useAuthStore } from './stores/auth'
import './styles/main.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
applyDocumentLang(i18n.global.locale.value)

const router = createAppRouter()
const auth = useAuthStore()
// App.vue sends the user to the login page when the login ends (refresh
// refused, or logged out in another tab).
auth.connect(http)
app.use(router)
app.mount('#app')
