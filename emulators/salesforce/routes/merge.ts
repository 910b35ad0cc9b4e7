/**
 * @module emulators/salesforce/routes/merge
 * The SOAP API's `merge()` call on the partner endpoint `POST /services/Soap/u/{version}` — the
 * only API that merges records: the REST API has no merge resource (api-facts-salesforce-platform
 * §4). jsforce calls it as `conn.soap.merge({ masterRecord: { type: 'Account', Id }, recordToMergeIds })`
 * (jsforce 3.10.16 `src/api/soap.ts`). The session travels in the SOAP `SessionHeader`, not in an
 * Authorization header; a bad one is the `sf:INVALID_SESSION_ID` fault (HTTP 500), which jsforce
 * answers by refreshing its token. Only `merge` is served here; any other operation is a client
 * fault. The partner WSDL names each MergeRequest element `request`; jsforce sends `mergeRequests`,
 * which users report works against real orgs (jsforce#950), so every child of `<merge>` is read
 * as one MergeRequest.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_merge.htm
 */
import type { Context, Hono } from 'hono'
import { MAX_VERSION, MIN_VERSION, userOf } from './guard.js'
import { mergeRecords, type MergeRequest, type MergeResult } from '../merge.js'
import type { SfState } from '../state.js'
import { parseXml, type XmlElement } from '../xml.js'

const local = (name: string): string => name.slice(name.indexOf(':') + 1)
const kid = (el: XmlElement | undefined, name: string): XmlElement | undefined => el?.children.find((c) => local(c.name) === name)
const kids = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => local(c.name) === name)

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns="urn:partner.soap.sforce.com" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'

function xml(c: Context, body: string, status: 200 | 500): Response {
  return c.newResponse(body, status, { 'Content-Type': 'text/xml;charset=UTF-8' })
}

/** A SOAP fault as the partner API sends it (HTTP 500). */
function fault(c: Context, code: string, message: string, faultcode = `sf:${code}`): Response {
  return xml(
    c,
    `${ENVELOPE_OPEN}<soapenv:Body><soapenv:Fault><faultcode>${faultcode}</faultcode><faultstring>${esc(`${code}: ${message}`)}</faultstring>` +
      `<detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>${code}</sf:exceptionCode>` +
      `<sf:exceptionMessage>${esc(message)}</sf:exceptionMessage></sf:UnexpectedErrorFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
    500,
  )
}

function readRequest(el: XmlElement): MergeRequest {
  const master = kid(el, 'masterRecord')
  const fields: Record<string, unknown> = {}
  let type = ''
  let masterId = ''
  for (const f of master?.children ?? []) {
    const name = local(f.name)
    if (name === 'type') type = f.text
    else if (name === 'Id') masterId = f.text
    else if (name === 'fieldsToNull') fields[f.text] = null
    else fields[name] = f.text
  }
  return { type, masterId, fields, mergeIds: kids(el, 'recordToMergeIds').map((r) => r.text) }
}

function resultXml(r: MergeResult): string {
  const list = (name: string, ids: string[]) => ids.map((id) => `<${name}>${id}</${name}>`).join('')
  const errs = r.errors
    .map((e) => `<errors>${e.fields.map((f) => `<fields>${esc(f)}</fields>`).join('')}<message>${esc(e.message)}</message><statusCode>${e.statusCode}</statusCode></errors>`)
    .join('')
  return `<result>${errs}${r.id ? `<id>${r.id}</id>` : '<id xsi:nil="true"/>'}${list('mergedRecordIds', r.mergedRecordIds)}<success>${r.success}</success>${list('updatedRelatedIds', r.updatedRelatedIds)}</result>`
}

export function registerMerge(app: Hono, s: SfState): void {
  app.post('/services/Soap/u/:version', async (c) => {
    s.stats.count('soap.merge')
    const v = /^(\d+)\.0$/.exec(c.req.param('version'))
    if (!v || Number(v[1]) < MIN_VERSION || Number(v[1]) > MAX_VERSION) return fault(c, 'UNSUPPORTED_API_VERSION', `Invalid Api version specified on URL`)
    let envelope: XmlElement
    try {
      envelope = parseXml(await c.req.text())
    } catch (e) {
      return fault(c, 'INVALID_XML', (e as Error).message, 'soapenv:Client')
    }
    const token = kid(kid(kid(envelope, 'Header'), 'SessionHeader'), 'sessionId')?.text ?? ''
    const session = s.accessTokens.get(token)
    if (!session || session.expiresAt <= s.options.now().getTime()) return fault(c, 'INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session')
    const call = kid(envelope, 'Body')?.children[0]
    if (!call || local(call.name) !== 'merge') {
      return fault(c, 'INVALID_OPERATION', `No operation available for request {urn:partner.soap.sforce.com}${call ? local(call.name) : ''}`, 'soapenv:Client')
    }
    if (s.api.used >= s.api.max) return fault(c, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')
    s.api.used += 1
    const results = call.children.map((el) => mergeRecords(s.writeContext(userOf(c)), readRequest(el)))
    const header = `<soapenv:Header><LimitInfoHeader><limitInfo><current>${s.api.used}</current><limit>${s.api.max}</limit><type>API REQUESTS</type></limitInfo></LimitInfoHeader></soapenv:Header>`
    return xml(c, `${ENVELOPE_OPEN}${header}<soapenv:Body><mergeResponse>${results.map(resultXml).join('')}</mergeResponse></soapenv:Body></soapenv:Envelope>`, 200)
  })
}
