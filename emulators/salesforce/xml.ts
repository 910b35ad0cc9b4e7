/**
 * @module emulators/salesforce/xml
 * A tiny XML reader for Salesforce metadata files (`*-meta.xml`): elements, text and nothing
 * else (no attributes are needed, no DTDs, no mixed content). Enough to read the package the
 * admin deploys, so the sandbox's schema comes from the same files.
 */

export interface XmlElement {
  name: string
  children: XmlElement[]
  text: string
}

const decode = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')

/** Parses a document and returns its root element. Throws on unbalanced tags. */
export function parseXml(source: string): XmlElement {
  const body = source.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '')
  const root: XmlElement = { name: '#document', children: [], text: '' }
  const stack: XmlElement[] = [root]
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>|([^<]+)/g
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const top = stack[stack.length - 1] as XmlElement
    if (m[5] !== undefined) {
      top.text += decode(m[5])
      continue
    }
    const [, closing, name = '', , selfClosing] = m
    if (closing) {
      if (top.name !== name) throw new Error(`XML: </${name}> closes <${top.name}>`)
      top.text = top.text.trim()
      stack.pop()
    } else {
      const el: XmlElement = { name, children: [], text: '' }
      top.children.push(el)
      if (!selfClosing) stack.push(el)
    }
  }
  if (stack.length !== 1) throw new Error('XML: unclosed element')
  const first = root.children[0]
  if (!first) throw new Error('XML: empty document')
  return first
}

/** Text of the first child called `name`, if any. */
export const childText = (el: XmlElement, name: string): string | undefined =>
  el.children.find((c) => c.name === name)?.text

export const child = (el: XmlElement, name: string): XmlElement | undefined =>
  el.children.find((c) => c.name === name)

export const childrenNamed = (el: XmlElement, name: string): XmlElement[] =>
  el.children.filter((c) => c.name === name)
