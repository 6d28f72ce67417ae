import { render } from 'preact'
import './styles/index.css'
import { App } from './app'
import './i18n'
import { loadSession } from './state/session'

// Render at once (a loading state), then learn who is signed in.
render(<App />, document.getElementById('app') as HTMLElement)
void loadSession()
