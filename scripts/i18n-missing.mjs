#!/usr/bin/env node
// Lists the interface keys that English has and another language lacks (or has and English
// does not), so translations can follow after branches add English keys:
//   node scripts/i18n-missing.mjs          every language
//   node scripts/i18n-missing.mjs fr pt    only these
// Prints one "lang  key  English text" line per gap and exits with 1 when there is any.
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'i18n')

/** Every message of a dictionary as "a.b.c" → text. */
function flatten(tree, prefix = '', out = new Map()) {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') {
      out.set(`${prefix}${key}`, value)
    } else {
      flatten(value, `${prefix}${key}.`, out)
    }
  }
  return out
}

const PLURAL = /_(zero|one|two|few|many|other)$/

/**
 * A plural form English does not use ("_many" in Spanish) is no gap when the language's own
 * plural rules have that category and English has the family.
 */
function isOwnPluralForm(lang, key) {
  const match = PLURAL.exec(key)
  if (!match) {
    return false
  }
  const base = key.slice(0, -match[0].length)
  const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories
  return categories.includes(match[1]) && english.has(`${base}_other`)
}

const read = (lang) => flatten(JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')))
const english = read('en')
const asked = process.argv.slice(2)
const languages = (asked.length > 0 ? asked : readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)))
  .filter((lang) => lang !== 'en')
  .sort()

let gaps = 0
for (const lang of languages) {
  const other = read(lang)
  for (const [key, text] of english) {
    if (!other.has(key)) {
      console.log(`${lang}\tmissing\t${key}\t${text}`)
      gaps++
    }
  }
  for (const key of other.keys()) {
    if (!english.has(key) && !isOwnPluralForm(lang, key)) {
      console.log(`${lang}\textra\t${key}`)
      gaps++
    }
  }
}
console.error(gaps === 0 ? `No gaps in ${languages.join(', ')}.` : `${gaps} gap(s).`)
process.exitCode = gaps === 0 ? 0 : 1
