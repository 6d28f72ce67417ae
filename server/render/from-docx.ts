import mammoth from 'mammoth'
import type { Node } from 'prosemirror-model'
import { parseHtml } from './from-html'

/** Why a .docx file could not be imported. */
export class DocxImportError extends Error {
  constructor(
    readonly reason: 'unreadable' | 'too_large',
    message: string,
  ) {
    super(message)
  }
}

/**
 * The most a .docx may declare it expands to. A 300-page report with images is well under
 * it; a zip bomb (a small file that inflates to gigabytes) is refused before anything is
 * inflated. A file that understates its sizes fails JSZip's size check instead.
 */
export const DOCX_UNCOMPRESSED_MAX = 256 * 1024 * 1024
const DOCX_ENTRIES_MAX = 20_000

// Word's built-in styles are stored under their English names whatever the interface
// language, so these rules also match a Spanish "Título 1". Deeper headings clamp to h3 in
// the schema's parse rules; these catch the levels mammoth does not map at all.
const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Subtitle'] => p:fresh",
  "p[style-name='heading 7'] => h3:fresh",
  "p[style-name='heading 8'] => h3:fresh",
  "p[style-name='heading 9'] => h3:fresh",
]

/**
 * Converts a .docx file into a document of the shared schema: Word headings become
 * headings (levels below 3 become 3) with fresh section ids; lists, tables, bold, italic,
 * line breaks and https/mailto links are kept; images, comments, foreign styling and
 * anything else Word-specific are dropped. Throws DocxImportError when the bytes are not a
 * readable .docx or would inflate beyond DOCX_UNCOMPRESSED_MAX.
 */
export async function parseDocx(bytes: Uint8Array): Promise<{ doc: Node; warnings: string[] }> {
  checkArchive(bytes)
  let result: Awaited<ReturnType<typeof mammoth.convertToHtml>>
  try {
    result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        styleMap: STYLE_MAP,
        // A style map embedded in the file is the sender's styling, not ours.
        includeEmbeddedStyleMap: false,
        // Images are dropped before conversion, so a paragraph that held only a picture
        // leaves nothing behind; any image still reached is never read or inlined.
        transformDocument: dropImages,
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        externalFileAccess: false,
      },
    )
  } catch (error) {
    throw new DocxImportError(
      'unreadable',
      `This file is not a readable .docx document (${errorMessage(error)})`,
    )
  }
  const warnings = result.messages.map((m) => m.message)
  return { doc: parseHtml(result.value), warnings }
}

interface MammothElement {
  type?: string
  children?: MammothElement[]
}

/** Removes every image from mammoth's document tree, in place, as mammoth's own transforms do. */
function dropImages(element: MammothElement): MammothElement {
  if (Array.isArray(element.children)) {
    element.children = element.children.filter((child) => child.type !== 'image')
    element.children.forEach(dropImages)
  }
  return element
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Reads the zip's central directory (no inflating) and refuses what is not a Word document
 * or declares more content than DOCX_UNCOMPRESSED_MAX. Zip64 archives are refused as too
 * large: a document needs them only beyond 4 GiB or 65,535 parts.
 */
function checkArchive(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const unreadable = () =>
    new DocxImportError('unreadable', 'This file is not a readable .docx document')
  // The end-of-central-directory record is 22 bytes plus a comment of up to 65,535 bytes.
  let end = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i
      break
    }
  }
  if (end < 0) {
    throw unreadable()
  }
  const entries = view.getUint16(end + 10, true)
  const directorySize = view.getUint32(end + 12, true)
  const directoryOffset = view.getUint32(end + 16, true)
  if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    throw new DocxImportError('too_large', 'This .docx file is too large to import')
  }
  if (entries > DOCX_ENTRIES_MAX) {
    throw new DocxImportError('too_large', 'This .docx file has too many parts to import')
  }
  if (directoryOffset + directorySize > end) {
    throw unreadable()
  }
  let offset = directoryOffset
  let total = 0
  let hasDocument = false
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > end || view.getUint32(offset, true) !== 0x02014b50) {
      throw unreadable()
    }
    const uncompressed = view.getUint32(offset + 24, true)
    const nameLength = view.getUint16(offset + 28, true)
    const extraLength = view.getUint16(offset + 30, true)
    const commentLength = view.getUint16(offset + 32, true)
    if (offset + 46 + nameLength > end) {
      throw unreadable()
    }
    const name = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength))
    hasDocument ||= name === 'word/document.xml'
    total += uncompressed
    if (uncompressed === 0xffffffff || total > DOCX_UNCOMPRESSED_MAX) {
      throw new DocxImportError('too_large', 'This .docx file is too large to import')
    }
    offset += 46 + nameLength + extraLength + commentLength
  }
  if (!hasDocument) {
    throw unreadable()
  }
}
