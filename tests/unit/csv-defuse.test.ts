import { describe, expect, it } from 'vitest'
import { defuseCell } from '../../server/consultation/exports'

describe('CSV cells a spreadsheet would run as formulas', () => {
  it('get a leading apostrophe, even behind spaces or in full-width form', () => {
    for (const cell of [
      '=1+1',
      '+1',
      '-1',
      '@SUM(A1)',
      '\tx',
      '\rx',
      '\nx',
      ' =HYPERLINK("http://x")',
      '\u00a0\u00a0=1',
      '\u3000=1',
      '\ufeff=1',
      '\u200b=1',
      '＝1+1',
      '＋1',
      '－1',
      '＠A1',
      '\u2212' + '1',
    ]) {
      expect(defuseCell(cell), JSON.stringify(cell)).toBe(`'${cell}`)
    }
  })

  it('leave ordinary text as typed', () => {
    for (const cell of ['Plain words', '', '  spaced words', 'a = b', '1+1', 'e-mail', "'quoted"]) {
      expect(defuseCell(cell)).toBe(cell)
    }
  })
})
