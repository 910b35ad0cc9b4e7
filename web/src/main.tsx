/**
 * @module web/main
 * Entry point of the Tally Hub SPA: SLDS styles, then the app.
 */
// The unminified SLDS stylesheet: the package's .min.css writes `:nth-child(1of.x)` (spaces lost by
// its minifier), which Vite's CSS minifier rejects; Vite minifies this one itself.
import '@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.css'
import './hub.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.js'

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
}
