// French, Portuguese and Spanish have a third plural category in CLDR, "many", for round
// millions ("1 000 000 de commentaires"). The dictionaries are written with `_one`/`_other`;
// i18next looks for `_many` and, not finding it, would fall back to English. This gives every
// family without a `_many` form its `_other` text as `_many`, before i18next loads it.

type Tree = { [key: string]: string | Tree }

/** A copy of a dictionary where each `key_other` without a `key_many` also answers `key_many`. */
export function withManyForms<T extends object>(dictionary: T): T {
  const walk = (tree: Tree): Tree => {
    const out: Tree = {}
    for (const [key, value] of Object.entries(tree)) {
      out[key] = typeof value === 'string' ? value : walk(value)
    }
    for (const [key, value] of Object.entries(tree)) {
      const many = key.replace(/_other$/, '_many')
      if (typeof value === 'string' && many !== key && !(many in tree)) {
        out[many] = value
      }
    }
    return out
  }
  return walk(dictionary as unknown as Tree) as unknown as T
}
