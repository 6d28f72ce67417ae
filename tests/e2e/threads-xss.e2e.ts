import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Thread } from '../../shared/api/threads'
import { launchBrowser, signedInPages } from '../support/browser'
import type { TestUser } from '../support/factories'
import { startTestServer, type TestServer } from '../support/server'
import { waitFor } from '../support/wait-for'
import { apiAs, importDraft, postThread, type ApiSession } from './thread-helpers'

/**
 * A representative set from OWASP's XSS Filter Evasion Cheat Sheet, one line each (no `*`,
 * which the comment format reads as emphasis), each of which must show as the text it is.
 */
const PAYLOADS = [
  `<script>alert('XSS1')</script>`,
  `<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>`,
  `<IMG SRC="javascript:alert('XSS3');">`,
  `<IMG SRC=JaVaScRiPt:alert('XSS4')>`,
  `<img src=x onerror=alert('XSS5')>`,
  `<svg onload=alert('XSS6')>`,
  `<svg/onload=alert('XSS7')>`,
  `<iframe src="javascript:alert('XSS8');"></iframe>`,
  `<iframe srcdoc="<script>alert(9)</script>"></iframe>`,
  `"><script>alert('XSS10')</script>`,
  `'><img src=x onerror=alert(11)>`,
  `[click me](javascript:alert('XSS12'))`,
  `[click](JaVaScRiPt:alert(13))`,
  `[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxNCk8L3NjcmlwdD4=)`,
  `javascript:alert('XSS15')`,
  `data:text/html,<script>alert(16)</script>`,
  `<a href="javascript:alert(17)">x</a>`,
  `<body onload=alert('XSS18')>`,
  `<div style="background-image: url(javascript:alert('XSS19'))">`,
  `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`,
  `<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>`,
  `<IMG SRC="jav&#x09;ascript:alert('XSS22');">`,
  `<object data="javascript:alert(23)">`,
  `<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMjQpPg==">`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(25)>`,
  `<details open ontoggle=alert(26)>`,
  `<input autofocus onfocus=alert(27)>`,
  `<marquee onstart=alert(28)>`,
  `%3Cscript%3Ealert(29)%3C%2Fscript%3E`,
  `&lt;script&gt;alert(30)&lt;/script&gt;`,
  `<<SCRIPT>alert("XSS31");//<</SCRIPT>`,
  `<BASE HREF="javascript:alert('XSS32');//">`,
  `<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS33');">`,
  `<LINK REL="stylesheet" HREF="javascript:alert('XSS34');">`,
  `<STYLE>@import'http://xss.rocks/xss.css';</STYLE>`,
  String.raw`\u003cscript\u003ealert(36)\u003c/script\u003e`,
  `[x](https://example.org" onmouseover="alert(37))`,
  `<a href="https://ok.example" onclick="alert(38)">ok</a>`,
  `<form action="javascript:alert(39)"><button>go</button></form>`,
  `{{constructor.constructor('alert(40)')()}}`,
]

const EVIL_NAME = `<img src=x onerror=alert('name')>"><script>alert(1)</script>`
const EVIL_ORG = `<svg onload=alert('org')> javascript:alert(2)`
const EVIL_HEADING = `<img src=x onerror=alert('heading')> & <script>alert(3)</script>`

// Stored XSS (issue 5, item 9): whatever people type (comments, replies, flag reasons, their
// name and organisation, a section title) reaches other people's browsers as text only.
describe('stored XSS in threads', () => {
  let server: TestServer
  let browser: Browser
  let processId: string
  let secretariat: TestUser
  let evil: TestUser
  let evilApi: ApiSession
  let sectionTitle: string
  const posted: Thread[] = []
  const pages = signedInPages(
    () => browser,
    () => server.url,
  )

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    secretariat = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    evil = await server.factories.createUser({ name: EVIL_NAME })
    const helper = await server.factories.createUser({ name: 'Helper' })
    const process = await server.factories.createProcess({
      secretariat,
      members: [
        { user: evil, role: 'stakeholder', group: 'academia', organisation: EVIL_ORG },
        { user: helper, role: 'stakeholder', group: 'academia' },
      ],
    })
    processId = process.id
    const secretariatApi = await apiAs(server.url, secretariat)
    evilApi = await apiAs(server.url, evil)
    const helperApi = await apiAs(server.url, helper)
    const draft = await importDraft(
      secretariatApi,
      processId,
      'Draft',
      `# ${EVIL_HEADING}\n\nSome text.\n`,
    )
    const section = draft.sections.find((s) => s.id)!
    sectionTitle = section.title
    // Ten payloads per body (as paragraphs), so the per-person posting limit is never reached.
    const chunks: string[][] = []
    for (let i = 0; i < PAYLOADS.length; i += 10) {
      chunks.push(PAYLOADS.slice(i, i + 10))
    }
    for (const chunk of chunks) {
      const thread = await postThread(evilApi, draft.id, {
        sectionId: section.id!,
        kind: 'comment',
        body: `${chunk.join('\n\n')}\n\n@[${EVIL_NAME.replace(/[[\]]/g, '')}](${evil.id}) @[Sofía](${secretariat.id})`,
      })
      posted.push(thread)
      const reply = await evilApi.post<{ id: string }>(`/api/threads/${thread.id}/replies`, {
        body: chunk.join('\n'),
      })
      await helperApi.post(`/api/comments/${reply.id}/flags`, { reason: chunk[0] })
    }
  })

  afterAll(async () => {
    await pages.closeAll()
    await browser?.close()
    await server?.close()
  })

  /** Everything that would mean a payload became markup or script. */
  async function injected(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const found: string[] = []
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        for (const name of el.getAttributeNames()) {
          if (/^on/i.test(name)) {
            found.push(`${el.tagName} ${name}`)
          }
          if (['href', 'src', 'action', 'data', 'formaction', 'srcdoc'].includes(name)) {
            const value = el.getAttribute(name) ?? ''
            if (/^\s*(javascript|data|vbscript):/i.test(value) || name === 'srcdoc') {
              found.push(`${el.tagName} ${name}=${value}`)
            }
          }
        }
      }
      const main = document.querySelector('main')!
      const banned =
        'script, iframe, object, embed, img, svg, style, link, meta, base, math, marquee, details, body, frame, frameset'
      for (const el of Array.from(main.querySelectorAll(banned))) {
        found.push(`<${el.tagName.toLowerCase()}> in main`)
      }
      // Inside user text, only the elements the comment format makes.
      const allowed = new Set([
        'P',
        'BR',
        'EM',
        'STRONG',
        'A',
        'SPAN',
        'TIME',
        'DEL',
        'INS',
        'BLOCKQUOTE',
      ])
      for (const box of Array.from(
        main.querySelectorAll(
          '.rich-text, .comment-meta, .thread-title, .inbox-item, .flag-list, .mention-list, .log-reason',
        ),
      )) {
        for (const el of Array.from(box.querySelectorAll('*'))) {
          if (
            !allowed.has(el.tagName) &&
            !(el.tagName === 'LI' && box.matches('.flag-list, .mention-list')) &&
            !['UL', 'H3', 'H4', 'DIV', 'BUTTON'].includes(el.tagName)
          ) {
            found.push(`<${el.tagName.toLowerCase()}> in ${box.className}`)
          }
        }
      }
      return found
    })
  }

  function watchDialogs(page: Page): string[] {
    const dialogs: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    return dialogs
  }

  test('payloads in bodies, replies, names, organisations and section titles render as text', async () => {
    expect(sectionTitle).toContain('<script>')
    const page = await pages.pageFor(secretariat)
    const dialogs = watchDialogs(page)

    // The thread list with every thread opened: bodies, replies, author lines, section titles.
    await page.goto(`${server.url}/processes/${processId}/threads`)
    await waitFor(
      async () =>
        (await page.locator('article.thread-card').count()) === posted.length || undefined,
      {
        timeoutMs: 5_000,
        message: 'all threads listed',
      },
    )
    for (const button of await page.locator('.thread-replies-toggle button').all()) {
      await button.click()
    }
    await waitFor(
      async () => (await page.locator('.reply-list').count()) === posted.length || undefined,
      {
        timeoutMs: 5_000,
        message: 'replies shown',
      },
    )
    const text = (await page.locator('main').textContent()) ?? ''
    for (const payload of PAYLOADS) {
      expect(text, payload).toContain(payload)
    }
    expect(text).toContain(EVIL_NAME)
    expect(text).toContain(EVIL_ORG)
    expect(text).toContain(`@${EVIL_NAME.replace(/[[\]]/g, '')}`)
    expect(await page.locator('.thread-section').first().textContent()).toBe(sectionTitle)
    expect(await injected(page)).toEqual([])

    // The mention suggestions show the name as text too.
    const box = page.locator('.reply-form textarea').first()
    await box.click()
    await box.pressSequentially('@<img')
    await waitFor(() => page.getByRole('listbox').isVisible(), {
      timeoutMs: 5_000,
      message: 'suggestions',
    })
    expect(await page.getByRole('listbox').textContent()).toContain(EVIL_NAME)
    expect(await injected(page)).toEqual([])

    // The moderation queue: bodies, author, flag reasons.
    await page.goto(`${server.url}/processes/${processId}/moderation`)
    await waitFor(
      async () => (await page.locator('.moderation-item').count()) === posted.length || undefined,
      {
        timeoutMs: 5_000,
        message: 'queue',
      },
    )
    const queueText = (await page.locator('main').textContent()) ?? ''
    expect(queueText).toContain(PAYLOADS[0])
    expect(queueText).toContain(EVIL_NAME)
    expect(await injected(page)).toEqual([])

    // The inbox: who mentioned, the excerpt, the section title.
    await page.goto(`${server.url}/inbox`)
    await waitFor(() => page.locator('.inbox-item').first().isVisible(), {
      timeoutMs: 5_000,
      message: 'inbox',
    })
    const inboxText = (await page.locator('main').textContent()) ?? ''
    expect(inboxText).toContain(EVIL_NAME)
    expect(inboxText).toContain(sectionTitle)
    expect(await injected(page)).toEqual([])

    // Nothing ran anywhere.
    expect(dialogs).toEqual([])
  })
})
