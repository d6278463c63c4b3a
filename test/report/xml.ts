// A tiny well-formedness checker (no dependencies): balanced tags, quoted
// attributes without raw '<', text without raw '<' or bare '&'. In 'html' mode
// void elements need no closing tag and <style>/<script> hold raw text.
const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/i
const VOID = new Set(['meta', 'br', 'hr', 'img', 'link', 'input', 'wbr'])
const RAW = new Set(['style', 'script'])

const checkText = (s: string, at: number): string | null => {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '<') return `raw '<' at ${at + i}`
    if (s[i] === '&' && !ENTITY.test(s.slice(i))) return `bare '&' at ${at + i}: ${s.slice(i, i + 12)}`
  }
  return null
}

/** null when well-formed, else the first problem. */
export const wellFormed = (doc: string, mode: 'xml' | 'html' = 'xml'): string | null => {
  const stack: Array<string> = []
  let i = 0
  while (i < doc.length) {
    const lt = doc.indexOf('<', i)
    const text = doc.slice(i, lt < 0 ? doc.length : lt)
    const bad = checkText(text, i)
    if (bad) return bad
    if (lt < 0) break
    if (doc.startsWith('<!--', lt)) { i = doc.indexOf('-->', lt) + 3; continue }
    if (doc.startsWith('<!', lt) || doc.startsWith('<?', lt)) { i = doc.indexOf('>', lt) + 1; continue }
    const m = /^<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/.exec(doc.slice(lt, lt + 20000))
    if (!m) return `bad tag at ${lt}: ${doc.slice(lt, lt + 60)}`
    const [all, close, name = '', attrs = '', self] = m
    for (const a of attrs.matchAll(/="([^"]*)"/g)) {
      const e = checkText(a[1] ?? '', lt)
      if (e) return `attribute: ${e}`
    }
    const names = [...attrs.matchAll(/\s([\w:.-]+)=/g)].map((x) => x[1])
    if (new Set(names).size !== names.length) return `duplicate attribute in <${name}> at ${lt}`
    i = lt + all.length
    const lname = mode === 'html' ? name.toLowerCase() : name
    if (close) {
      const top = stack.pop()
      if (top !== lname) return `</${name}> closes <${top ?? 'nothing'}> at ${lt}`
    } else if (!self && !(mode === 'html' && VOID.has(lname))) {
      if (mode === 'html' && RAW.has(lname)) {
        const end = doc.indexOf(`</${lname}>`, i)
        if (end < 0) return `unclosed <${lname}>`
        i = end + lname.length + 3
      } else stack.push(lname)
    }
  }
  return stack.length === 0 ? null : `unclosed: ${stack.join(' > ')}`
}

/** Every numeric attribute value (coordinates, sizes) in the document. */
export const numericAttrs = (doc: string): ReadonlyArray<string> =>
  [...doc.matchAll(/\s(x|y|x1|x2|y1|y2|cx|cy|r|width|height|d|transform|viewBox|points)="([^"]*)"/g)].map((m) => m[2] ?? '')
