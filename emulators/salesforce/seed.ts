/**
 * @module emulators/salesforce/seed
 * The sample org (contract §7): a few dozen Accounts. Some carry the exact names of customers in
 * the QBO sample company ("Craig's Design and Landscaping Services"), some differ only by case or
 * spacing (Salesforce compares names case-insensitively), two share a name (an ambiguous match),
 * and the rest are the Accounts a new Developer Edition org ships with.
 */
import type { WireObject } from '../../emulators/shared/data.js'

const matching = [
  "Amy's Bird Sanctuary",
  "Bill's Windsurf Shop",
  'Cool Cars',
  'Diego Rodriguez',
  'Dukes Basketball Camp',
  'Freeman Sporting Goods',
  'Geeta Kalapatapu',
  "Jeff's Jalopies",
  'Kookies by Kathy',
  'Mark Cho',
  'Paulsen Medical Supplies',
  'Red Rock Diner',
  'Sushi by Katsuyuki',
  'Video Games by Dan',
  'Weiskopf Consulting',
]

const caseOrSpacing = ['rago travel agency', 'Sonnenschein  Family Store', 'PYE\'S CAKES']

const ambiguous = ['Travis Waldron', 'Travis Waldron']

/** The sample Accounts Salesforce puts in every new Developer Edition org (Edge Communications,
 * Burlington Textiles…), as any such org lists them. */
const developerOrg: WireObject[] = [
  { Name: 'Edge Communications', AccountNumber: 'CD451796', Industry: 'Electronics', Type: 'Customer - Direct', BillingCity: 'Austin', BillingState: 'TX', Phone: '(512) 757-6000', Website: 'http://edgecomm.com' },
  { Name: 'Burlington Textiles Corp of America', AccountNumber: 'CD656092', Industry: 'Apparel', Type: 'Customer - Direct', BillingCity: 'Burlington', BillingState: 'NC', BillingCountry: 'USA', Phone: '(336) 222-7000', Website: 'www.burlington.com' },
  { Name: 'Pyramid Construction Inc.', AccountNumber: 'CC213425', Industry: 'Construction', Type: 'Customer - Channel', BillingCity: 'Paris', BillingCountry: 'France', Phone: '(014) 427-4427', Website: 'www.pyramid.com' },
  { Name: 'Dickenson plc', AccountNumber: 'CC634267', Industry: 'Consulting', Type: 'Customer - Channel', BillingCity: 'Lawrence', BillingState: 'KS', BillingCountry: 'USA', Phone: '(785) 241-6200', Website: 'dickenson-consulting.com' },
  { Name: 'Grand Hotels & Resorts Ltd', AccountNumber: 'CD439877', Industry: 'Hospitality', Type: 'Customer - Direct', BillingCity: 'Chicago', BillingState: 'IL', BillingCountry: 'USA', Phone: '(312) 596-1000', Website: 'www.grandhotels.com' },
  { Name: 'United Oil & Gas Corp.', AccountNumber: 'CD355118', Industry: 'Energy', Type: 'Customer - Direct', BillingCity: 'New York', BillingState: 'NY', BillingCountry: 'USA', Phone: '(212) 842-5500', Website: 'http://www.uos.com' },
  { Name: 'Express Logistics and Transport', AccountNumber: 'CC947211', Industry: 'Transportation', Type: 'Customer - Channel', BillingCity: 'Portland', BillingState: 'OR', BillingCountry: 'USA', Phone: '(503) 421-7800', Website: 'www.expressl&t.net' },
  { Name: 'University of Arizona', AccountNumber: 'CD736025', Industry: 'Education', Type: 'Customer - Direct', BillingCity: 'Tucson', BillingState: 'AZ', BillingCountry: 'USA', Phone: '(520) 773-9050', Website: 'www.universityofarizona.com' },
  { Name: 'United Oil & Gas, UK', AccountNumber: 'CD355119-A', Industry: 'Energy', Type: 'Customer - Direct', BillingCountry: 'United Kingdom', Phone: '+44 191 4956203', Website: 'http://www.uos.com' },
  { Name: 'United Oil & Gas, Singapore', AccountNumber: 'CD355120-B', Industry: 'Energy', Type: 'Customer - Direct', BillingCity: 'Singapore', BillingCountry: 'Singapore', Phone: '(650) 450-8810', Website: 'http://www.uos.com' },
  { Name: 'GenePoint', AccountNumber: 'CC978213', Industry: 'Biotechnology', Type: 'Customer - Channel', BillingCity: 'Mountain View', BillingState: 'CA', BillingCountry: 'United States', Phone: '(650) 867-3450', Website: 'www.genepoint.com' },
  { Name: 'sForce', BillingCity: 'San Francisco', BillingState: 'CA', BillingCountry: 'US', Phone: '(415) 901-7000', Website: 'www.sforce.com' },
]

export const SAMPLE_ACCOUNTS: WireObject[] = [
  ...developerOrg,
  ...[...matching, ...caseOrSpacing, ...ambiguous].map((Name) => ({ Name, Type: 'Customer - Direct' })),
]
