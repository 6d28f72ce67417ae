import type { ComponentChildren } from 'preact'
import { useMemo } from 'preact/hooks'
import { parseBody, type Inline } from './body-format'

function renderInline(nodes: Inline[]): ComponentChildren[] {
  return nodes.map((node, index) => {
    switch (node.type) {
      case 'text':
        // A text child: Preact creates a Text node, so markup in it stays characters.
        return node.text
      case 'break':
        return <br key={index} />
      case 'em':
        return <em key={index}>{renderInline(node.children)}</em>
      case 'strong':
        return <strong key={index}>{renderInline(node.children)}</strong>
      case 'link':
        return (
          <a key={index} href={node.href} rel="noopener noreferrer nofollow ugc">
            {renderInline(node.children)}
          </a>
        )
      case 'mention':
        return (
          <span key={index} class="mention" data-user-id={node.userId}>
            @{node.name}
          </span>
        )
    }
  })
}

/**
 * Comment text in its light format (paragraphs, line breaks, emphasis, links, mentions),
 * built as Preact elements from a parse. No user text is ever handed to the browser as HTML.
 */
export function RichText({ text, class: className }: { text: string; class?: string }) {
  const paragraphs = useMemo(() => parseBody(text), [text])
  return (
    <div class={['rich-text', className ?? ''].filter(Boolean).join(' ')}>
      {paragraphs.map((paragraph, index) => (
        <p key={index}>{renderInline(paragraph)}</p>
      ))}
    </div>
  )
}
