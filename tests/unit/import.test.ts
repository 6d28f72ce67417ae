import JSZip from 'jszip'
import type { Node } from 'prosemirror-model'
import { describe, expect, it } from 'vitest'
import { findSections, isSectionId } from '../../shared/schema'
import { DocxImportError, DOCX_UNCOMPRESSED_MAX, parseDocx } from '../../server/render/from-docx'
import { parseMarkdown } from '../../server/render/markdown'
import { renderHtml } from '../../server/render/html'
import { buildDocx, type DocxBlock } from '../support/docx'

function outline(doc: Node) {
  return findSections(doc).map((s) => [s.level, s.title])
}

function expectFreshUniqueIds(doc: Node) {
  const ids = findSections(doc).map((s) => s.id)
  expect(ids.every((id) => id !== null && isSectionId(id))).toBe(true)
  expect(new Set(ids).size).toBe(ids.length)
}

async function docxError(bytes: Uint8Array): Promise<DocxImportError> {
  const error = await parseDocx(bytes).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DocxImportError)
  return error as DocxImportError
}

describe('Markdown import', () => {
  it('turns headings into sections with fresh ids, clamping deep levels to 3', () => {
    const doc = parseMarkdown(
      '# Strategy\n\n## Vision\n\ntext\n\n#### Deep\n\n###### Deeper\n\nSetext\n---\n',
    )
    doc.check()
    expect(outline(doc)).toEqual([
      [1, 'Strategy'],
      [2, 'Vision'],
      [3, 'Deep'],
      [3, 'Deeper'],
      [2, 'Setext'],
    ])
    expectFreshUniqueIds(doc)
    // Fresh every time: importing the same text twice never shares ids between documents.
    const again = findSections(parseMarkdown('# Strategy')).map((s) => s.id)
    expect(findSections(doc).map((s) => s.id)).not.toContain(again[0])
  })

  it('keeps lists, quotes, tables, emphasis and allowed links', () => {
    const doc = parseMarkdown(
      [
        'Intro with **bold**, *italic* and a [link](https://example.org "Title").',
        '',
        '- one',
        '  - nested',
        '- two',
        '',
        '7. seventh',
        '8. eighth',
        '',
        '> quoted',
        '',
        '| A | B |',
        '| :-- | --: |',
        '| 1 | *2* |',
      ].join('\n'),
    )
    doc.check()
    expect(renderHtml(doc)).toBe(
      [
        '<p>Intro with <strong>bold</strong>, <em>italic</em> and a <a href="https://example.org" title="Title" rel="noopener noreferrer nofollow">link</a>.</p>',
        '<ul><li><p>one</p><ul><li><p>nested</p></li></ul></li><li><p>two</p></li></ul>',
        '<ol start="7"><li><p>seventh</p></li><li><p>eighth</p></li></ol>',
        '<blockquote><p>quoted</p></blockquote>',
        '<table><tbody><tr><th><p>A</p></th><th><p>B</p></th></tr><tr><td><p>1</p></td><td><p><em>2</em></p></td></tr></tbody></table>',
      ].join('\n'),
    )
  })

  it('keeps what the schema cannot hold as text, and drops images, rules and unsafe links', () => {
    const doc = parseMarkdown(
      [
        'Code `x = 1` and ~~struck~~ and <b>html</b> and [js](javascript:alert(1)) and [rel](page.html) and [http](http://example.org).',
        '',
        '![chart](https://example.org/chart.png)',
        '',
        '---',
        '',
        '```',
        'fenced code',
        '```',
        '',
        '    indented code',
      ].join('\n'),
    )
    doc.check()
    expect(renderHtml(doc)).toBe(
      [
        '<p>Code x = 1 and ~~struck~~ and &lt;b&gt;html&lt;/b&gt; and [js](javascript:alert(1)) and rel and http.</p>',
        '<p>fenced code</p>',
        '<p>indented code</p>',
      ].join('\n'),
    )
  })

  it('reads any text without throwing', () => {
    for (const input of [
      '',
      '\u0000',
      '#',
      '|',
      '| a |\n| - |',
      '- ',
      '1.',
      '>',
      '[](',
      '<',
      '\\',
      '*'.repeat(1000),
      '['.repeat(5000),
    ]) {
      expect(() => parseMarkdown(input).check(), JSON.stringify(input.slice(0, 20))).not.toThrow()
    }
  })
})

describe('.docx import', () => {
  const sample: DocxBlock[] = [
    { heading: 1, text: 'Estrategia Nacional', styleId: 'Title' },
    {
      paragraph: [
        'Texto con ',
        { text: 'negrita', bold: true },
        ', ',
        { text: 'cursiva', italic: true },
        ' y ',
        { link: 'https://www.example.org/', text: 'un enlace' },
        ' y ',
        { link: 'javascript:alert(1)', text: 'otro' },
        '.',
      ],
    },
    { heading: 2, text: 'Visión', styleId: 'Ttulo2' },
    { image: true },
    { paragraph: [{ text: 'Un país seguro.', color: 'FF0000' }], style: 'Fancy' },
    { heading: 2, text: 'Líneas de acción' },
    { bullet: 'Crear el Consejo' },
    { bullet: 'Sub-medida', level: 1 },
    { bullet: 'Publicar el plan' },
    { numbered: 'Primero' },
    { numbered: 'Segundo' },
    { heading: 4, text: 'Nivel cuatro' },
    { heading: 7, text: 'Nivel siete', styleId: 'Ttulo7' },
    {
      table: [
        ['Indicador', 'Meta'],
        ['Incidentes', '30 %'],
      ],
    },
  ]

  it('maps Word headings (by style name, in any language) to sections, clamped to level 3', async () => {
    const { doc } = await parseDocx(await buildDocx(sample))
    doc.check()
    expect(outline(doc)).toEqual([
      [1, 'Estrategia Nacional'],
      [2, 'Visión'],
      [2, 'Líneas de acción'],
      [3, 'Nivel cuatro'],
      [3, 'Nivel siete'],
    ])
    expectFreshUniqueIds(doc)
  })

  it('keeps lists, tables, emphasis and allowed links, and drops images and foreign styling', async () => {
    const { doc } = await parseDocx(await buildDocx(sample))
    expect(
      renderHtml(doc)
        .split('\n')
        .filter((line) => !line.startsWith('<h')),
    ).toEqual([
      '<p>Texto con <strong>negrita</strong>, <em>cursiva</em> y <a href="https://www.example.org/" rel="noopener noreferrer nofollow">un enlace</a> y otro.</p>',
      '<p>Un país seguro.</p>',
      '<ul><li><p>Crear el Consejo</p><ul><li><p>Sub-medida</p></li></ul></li><li><p>Publicar el plan</p></li></ul>',
      '<ol><li><p>Primero</p></li><li><p>Segundo</p></li></ol>',
      '<table><tbody><tr><td><p>Indicador</p></td><td><p>Meta</p></td></tr><tr><td><p>Incidentes</p></td><td><p>30 %</p></td></tr></tbody></table>',
    ])
  })

  it('imports a 300-page document', async () => {
    const sentence =
      'The national strategy protects essential services and the rights of every resident while agencies, companies and civil society cooperate. '
    const blocks: DocxBlock[] = []
    for (let page = 1; page <= 300; page++) {
      blocks.push({ heading: ((page - 1) % 3) + 1, text: `Section ${page}` })
      for (let i = 0; i < 3; i++) {
        // About 3,000 characters a page, as in a printed report; numbered, so pages differ.
        blocks.push({
          paragraph: [
            `${page}.${i} `,
            sentence.repeat(7),
            { text: `measure ${page * 31 + i}`, bold: true },
          ],
        })
      }
      blocks.push({ bullet: `Action ${page}.1` }, { bullet: `Action ${page}.2` })
      if (page % 10 === 0) {
        blocks.push({
          table: [
            ['Indicator', 'Baseline', 'Target'],
            [`Indicator ${page}`, `${page}`, `${page * 2}`],
          ],
        })
      }
    }
    const bytes = await buildDocx(blocks)
    const started = performance.now()
    const { doc } = await parseDocx(bytes)
    const elapsed = performance.now() - started
    doc.check()
    expect(findSections(doc)).toHaveLength(300)
    expect(doc.textContent.length).toBeGreaterThan(300 * 3 * sentence.length * 7)
    expectFreshUniqueIds(doc)
    // Generous, for slow CI machines; it takes about two seconds here.
    expect(elapsed).toBeLessThan(30_000)
  }, 60_000)

  it('refuses files that are not .docx documents with a clear reason', async () => {
    expect((await docxError(new TextEncoder().encode('just text'))).reason).toBe('unreadable')
    expect((await docxError(new Uint8Array(0))).reason).toBe('unreadable')

    const otherZip = new JSZip()
    otherZip.file('hello.txt', 'a zip, but not a Word document')
    expect((await docxError(await otherZip.generateAsync({ type: 'uint8array' }))).reason).toBe(
      'unreadable',
    )

    const real = await buildDocx(sample)
    expect((await docxError(real.slice(0, Math.floor(real.length / 2)))).reason).toBe('unreadable')

    // Intact directory, damaged content: mammoth fails, and the error says so.
    const broken = await buildDocx(sample).then(async (bytes) => {
      const zip = await JSZip.loadAsync(bytes)
      zip.file('word/document.xml', '<w:document><unclosed')
      return zip.generateAsync({ type: 'uint8array' })
    })
    const error = await docxError(broken)
    expect(error.reason).toBe('unreadable')
    expect(error.message).toMatch(/not a readable \.docx/)
  })

  it('refuses a file that declares more content than the limit, before inflating it', async () => {
    const bytes = (await buildDocx(sample)).slice()
    const view = new DataView(bytes.buffer)
    // Rewrite each central directory entry's uncompressed size to a quarter of the limit and one.
    let entries = 0
    for (let i = 0; i + 4 <= bytes.length; i++) {
      if (view.getUint32(i, true) === 0x02014b50) {
        view.setUint32(i + 24, Math.floor(DOCX_UNCOMPRESSED_MAX / 4) + 1, true)
        entries++
      }
    }
    expect(entries).toBeGreaterThanOrEqual(4)
    const error = await docxError(bytes)
    expect(error.reason).toBe('too_large')
  })
})
