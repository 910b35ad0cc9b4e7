/**
 * @module emulators/salesforce/metadata-api/soap
 * The SOAP 1.1 envelope of the Metadata API (`POST /services/Soap/m/{version}`): reading the
 * request (SessionHeader, the operation and its arguments, with or without namespace prefixes)
 * and writing responses and faults as Salesforce does — elements in the metadata namespace
 * `http://soap.sforce.com/2006/04/metadata`, faults as HTTP 500 with `faultcode` `sf:CODE` and
 * `faultstring` `CODE: message` (what jsforce's SOAP layer reads; its session refresh matches
 * `<faultcode>sf:INVALID_SESSION_ID</faultcode>`).
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_calls_intro.htm
 */
import { parseXml } from '../xml.js'
import type { XmlElement } from '../xml.js'

export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata'

const local = (name: string): string => name.slice(name.indexOf(':') + 1)

export const childLocal = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => local(c.name) === name)
export const textLocal = (el: XmlElement, name: string): string | undefined => childLocal(el, name)?.text

export interface SoapRequest {
  sessionId: string | undefined
  operation: string
  args: XmlElement
}

/** Throws on a body that is not a SOAP envelope with one operation in its Body. */
export function readEnvelope(body: string): SoapRequest {
  const envelope = parseXml(body)
  if (local(envelope.name) !== 'Envelope') throw new Error('not a SOAP envelope')
  const header = childLocal(envelope, 'Header')
  const session = header && childLocal(header, 'SessionHeader')
  const soapBody = childLocal(envelope, 'Body')
  const op = soapBody?.children[0]
  if (!op) throw new Error('empty SOAP Body')
  return { sessionId: session && textLocal(session, 'sessionId'), operation: local(op.name), args: op }
}

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** A value as XML elements: objects become nested elements (keys in order), arrays repeat the
 * element, undefined is left out, null is `xsi:nil`. */
export function toXml(name: string, value: unknown): string {
  if (value === undefined) return ''
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('')
  if (value === null) return `<${name} xsi:nil="true"/>`
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>).map(([k, v]) => toXml(k, v)).join('')
    return `<${name}>${inner}</${name}>`
  }
  return `<${name}>${escape(String(value))}</${name}>`
}

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ` xmlns="${METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`

export function soapResponse(operation: string, result: unknown): string {
  return `${ENVELOPE_OPEN}<soapenv:Body>${toXml(`${operation}Response`, { result })}</soapenv:Body></soapenv:Envelope>`
}

export function soapFault(code: string, message: string): string {
  return (
    `${ENVELOPE_OPEN}<soapenv:Body><soapenv:Fault xmlns:sf="urn:fault.soap.sforce.com">` +
    `<faultcode>sf:${code}</faultcode><faultstring>${escape(`${code}: ${message}`)}</faultstring>` +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  )
}
