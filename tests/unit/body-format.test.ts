import { describe, expect, it } from 'vitest'
import {
  mentionText,
  parseBody,
  plainText,
  safeHref,
} from '../../client/components/threads/body-format'

describe('comment body format', () => {
  it('splits paragraphs on blank lines and keeps single newlines as breaks', () => {
    expect(parseBody('one\ntwo\n\n\nthree')).toEqual([
      [{ type: 'text', text: 'one' }, { type: 'break' }, { type: 'text', text: 'two' }],
      [{ type: 'text', text: 'three' }],
    ])
  })

  it('reads emphasis, strong, links, bare links and mentions', () => {
    const [p] = parseBody(
      'a *b* **c** [d](https://example.org/x) see https://example.org/y. @[Ana](0b0e6b2e-0000-4000-8000-000000000001)',
    )
    expect(p).toEqual([
      { type: 'text', text: 'a ' },
      { type: 'em', children: [{ type: 'text', text: 'b' }] },
      { type: 'text', text: ' ' },
      { type: 'strong', children: [{ type: 'text', text: 'c' }] },
      { type: 'text', text: ' ' },
      { type: 'link', href: 'https://example.org/x', children: [{ type: 'text', text: 'd' }] },
      { type: 'text', text: ' see ' },
      {
        type: 'link',
        href: 'https://example.org/y',
        children: [{ type: 'text', text: 'https://example.org/y' }],
      },
      { type: 'text', text: '. ' },
      { type: 'mention', name: 'Ana', userId: '0b0e6b2e-0000-4000-8000-000000000001' },
    ])
  })

  it('keeps links with other schemes as the text that was typed', () => {
    for (const raw of [
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD4=)',
      '[x](vbscript:msgbox)',
      '[x](java&#x09;script:alert(1))',
    ]) {
      const nodes = parseBody(raw).flat()
      expect(
        nodes.some((n) => n.type === 'link'),
        raw,
      ).toBe(false)
      expect(plainText(raw)).toBe(raw)
    }
  })

  it('accepts only http, https and mailto URLs', () => {
    expect(safeHref('https://example.org')).toBe('https://example.org/')
    expect(safeHref('mailto:a@example.org')).toBe('mailto:a@example.org')
    expect(safeHref('javascript:alert(1)')).toBeNull()
    expect(safeHref('java\tscript:alert(1)')).toBeNull()
    expect(safeHref(' https://example.org')).toBeNull()
    expect(safeHref('https://example.org/"onmouseover="x')).toBeNull()
    expect(safeHref('data:text/html,<script>')).toBeNull()
    expect(safeHref('//example.org')).toBeNull()
  })

  it('leaves unclosed stars as stars and never throws on odd input', () => {
    expect(plainText('2 * 3 = 6 and *open')).toBe('2 * 3 = 6 and *open')
    expect(plainText('**')).toBe('**')
    expect(() => parseBody('*'.repeat(5000) + '['.repeat(100) + '@['.repeat(100))).not.toThrow()
  })

  it('writes mentions without characters that would end them early', () => {
    expect(mentionText('Ana [x]\nB', 'id-1')).toBe('@[Ana xB](id-1)')
  })
})
