import {
  inputRules,
  textblockTypeInputRule,
  wrappingInputRule,
  type InputRule,
} from 'prosemirror-inputrules'
import type { Plugin } from 'prosemirror-state'
import { schema } from '../../../shared/schema'

/**
 * Markdown-like shortcuts at the start of a line: `#`, `##`, `###` and a space make a heading;
 * `-` or `*` a bulleted list; `1.` a numbered list; `>` a quote. Backspace right after undoes
 * the conversion (keymap.ts).
 */
export function buildInputRules(): Plugin {
  const { heading, bullet_list, ordered_list, blockquote } = schema.nodes
  const rules: InputRule[] = [
    textblockTypeInputRule(/^(#{1,3})\s$/, heading, (match) => ({
      level: match[1]!.length,
      sectionId: null,
    })),
    wrappingInputRule(/^\s*([-*])\s$/, bullet_list),
    wrappingInputRule(
      /^(\d{1,6})\.\s$/,
      ordered_list,
      (match) => ({ order: Number(match[1]) }),
      (match, node) => node.childCount + (node.attrs.order as number) === Number(match[1]),
    ),
    wrappingInputRule(/^\s*>\s$/, blockquote),
  ]
  return inputRules({ rules })
}
