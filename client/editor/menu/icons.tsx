import type { JSX } from 'preact'

/**
 * Toolbar icons: 20×20 strokes in the current text colour, hidden from assistive technology
 * (each button carries its own name).
 */
function Icon({ children }: { children: JSX.Element | JSX.Element[] }) {
  return (
    <svg
      class="tb-icon"
      viewBox="0 0 20 20"
      width="20"
      height="20"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      stroke-width="1.7"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      {children}
    </svg>
  )
}

export const icons = {
  undo: (
    <Icon>
      <path d="M7.5 4.5 4 8l3.5 3.5" />
      <path d="M4 8h8a4 4 0 0 1 0 8H9" />
    </Icon>
  ),
  redo: (
    <Icon>
      <path d="M12.5 4.5 16 8l-3.5 3.5" />
      <path d="M16 8H8a4 4 0 0 0 0 8h3" />
    </Icon>
  ),
  link: (
    <Icon>
      <path d="M8.5 11.5a3 3 0 0 0 4.2 0l2.6-2.6a3 3 0 0 0-4.2-4.2l-1 1" />
      <path d="M11.5 8.5a3 3 0 0 0-4.2 0l-2.6 2.6a3 3 0 0 0 4.2 4.2l1-1" />
    </Icon>
  ),
  bulletList: (
    <Icon>
      <circle cx="4.5" cy="5.5" r="1" fill="currentColor" />
      <circle cx="4.5" cy="10" r="1" fill="currentColor" />
      <circle cx="4.5" cy="14.5" r="1" fill="currentColor" />
      <path d="M8 5.5h8M8 10h8M8 14.5h8" />
    </Icon>
  ),
  orderedList: (
    <Icon>
      <path d="M3.5 4.5h1.2v3M3.5 7.5h2.2" stroke-width="1.3" />
      <path d="M3.4 12.2c.3-.6 1.9-.8 2 .2.1.8-2 1.6-2 2.6h2.2" stroke-width="1.3" />
      <path d="M8.5 5.5h8M8.5 10h8M8.5 14.5h8" />
    </Icon>
  ),
  outdent: (
    <Icon>
      <path d="M9 5h8M9 10h8M9 15h8" />
      <path d="M6 7.5 3.5 10 6 12.5" />
    </Icon>
  ),
  indent: (
    <Icon>
      <path d="M9 5h8M9 10h8M9 15h8" />
      <path d="M3.5 7.5 6 10l-2.5 2.5" />
    </Icon>
  ),
  blockquote: (
    <Icon>
      <path d="M4 6v8" stroke-width="2.2" />
      <path d="M8 6h8M8 10h8M8 14h5" />
    </Icon>
  ),
  table: (
    <Icon>
      <rect x="3" y="4" width="14" height="12" rx="1.5" />
      <path d="M3 8.5h14M3 12.3h14M8 8.5V16M12.5 8.5V16" />
    </Icon>
  ),
  keyboard: (
    <Icon>
      <rect x="2.5" y="5" width="15" height="10" rx="1.5" />
      <path d="M5.5 8h.01M8.5 8h.01M11.5 8h.01M14.5 8h.01M6.5 12h7" stroke-width="2" />
    </Icon>
  ),
}
