/**
 * @module emulators/shared/sample-data
 * The sandbox's sample company, modelled on Intuit's sandbox company "Craig's Design and
 * Landscaping Services" (customer list per api-facts A.8: 29 customers, 3 of them sub-customers;
 * the contact details below are our own), and a Salesforce org of a few dozen Accounts: some named
 * exactly like a customer, some differing only by case or spacing, two sharing one customer's name
 * (ambiguous), and many with no matching customer.
 */
import type { SandboxData, WireObject } from './data.js'

type Addr = [line1: string, city: string, state: string, zip: string]

const tel = (n: string) => ({ FreeFormNumber: n })
const address = ([Line1, City, CountrySubDivisionCode, PostalCode]: Addr) => ({ Line1, City, CountrySubDivisionCode, PostalCode })

function customer(
  Id: string, DisplayName: string, given: string | undefined, family: string | undefined,
  company: string | undefined, email: string | undefined, phone: string | undefined, addr: Addr | undefined,
  extra: WireObject = {},
): WireObject {
  const c: WireObject = { Id, DisplayName }
  if (given) c.GivenName = given
  if (family) c.FamilyName = family
  if (company) c.CompanyName = company
  if (email) c.PrimaryEmailAddr = { Address: email }
  if (phone) c.PrimaryPhone = tel(phone)
  if (addr) {
    c.BillAddr = address(addr)
    c.ShipAddr = address(addr)
  }
  c.MetaData = { CreateTime: '2025-10-01T16:48:43-07:00', LastUpdatedTime: '2025-10-01T16:48:43-07:00' }
  return { ...c, ...extra }
}

const sampleCustomers = (): WireObject[] => [
  customer('1', "Amy's Bird Sanctuary", 'Amy', 'Lauterbach', "Amy's Bird Sanctuary", 'Birds@Intuit.com', '(650) 555-3311', ['4581 Finch St.', 'Bayshore', 'CA', '94326'], { Balance: 239, Notes: 'Prefers morning visits.', Taxable: true }),
  customer('2', "Bill's Windsurf Shop", 'Bill', 'Lucchini', "Bill's Windsurf Shop", 'Surf@Intuit.com', '(415) 444-6538', ['12 Ocean Dr.', 'Half Moon Bay', 'CA', '94213'], { Balance: 85 }),
  customer('3', 'Cool Cars', 'Grace', 'Pariente', 'Cool Cars', 'Cool_Cars@intuit.com', '(415) 555-9933', ['65 Ocean Dr.', 'Half Moon Bay', 'CA', '94213'], { Balance: 2369.52 }),
  customer('4', 'Diego Rodriguez', 'Diego', 'Rodriguez', undefined, 'Diego@Rodriguez.com', '(650) 555-4477', ['321 Channing', 'Palo Alto', 'CA', '94303']),
  customer('5', 'Dukes Basketball Camp', 'Peter', 'Dukes', 'Dukes Basketball Camp', 'Dukes_bball@intuit.com', '(520) 420-5638', ['25 Court St.', 'Tucson', 'AZ', '85719'], { WebAddr: { URI: 'http://dukesbasketball.example.com' } }),
  customer('6', 'Dylan Sollfrank', 'Dylan', 'Sollfrank', undefined, undefined, undefined, undefined),
  customer('7', 'Freeman Sporting Goods', 'Kirby', 'Freeman', 'Freeman Sporting Goods', 'Sporting_goods@intuit.com', '(650) 555-0987', ['370 Easy St.', 'Middlefield', 'CA', '94482'], { Mobile: tel('(973) 555-4652'), Fax: tel('(520) 555-7894'), WebAddr: { URI: 'http://sportinggoods.example.com' } }),
  customer('8', '0969 Ocean View Road', 'Sasha', 'Tillou', 'Freeman Sporting Goods', 'Sporting_goods@intuit.com', '(415) 555-9933', ['370 Easy St.', 'Middlefield', 'CA', '94482'], { ParentRef: { value: '7' }, Job: true, BillWithParent: true }),
  customer('9', '55 Twin Lane', 'Amelia', undefined, 'Freeman Sporting Goods', 'Sporting_goods@intuit.com', '(650) 555-0987', ['370 Easy St.', 'Middlefield', 'CA', '94482'], { ParentRef: { value: '7' }, Job: true }),
  customer('10', 'Geeta Kalapatapu', 'Geeta', 'Kalapatapu', undefined, 'Geeta@Kalapatapu.com', '(650) 555-0022', ['1987 Main St.', 'Middlefield', 'CA', '94303'], { Balance: 629.1 }),
  customer('11', 'Gevelber Photography', 'Lisa', 'Gevelber', 'Gevelber Photography', 'Photography@intuit.com', '(415) 222-4345', ['1103 Cherry Rd.', 'Middlefield', 'CA', '94303']),
  customer('12', "Jeff's Jalopies", 'Jeff', 'Chin', "Jeff's Jalopies", 'Jalopies@intuit.com', '(650) 555-8989', ['12 Willow Rd.', 'Menlo Park', 'CA', '94305'], { Balance: 81 }),
  customer('13', 'John Melton', 'John', 'Melton', undefined, 'John@Melton.com', '(650) 555-5879', ['85 Pine St.', 'Menlo Park', 'CA', '94304'], { Balance: 450 }),
  customer('14', 'Kate Whelan', 'Kate', 'Whelan', undefined, 'Kate@Whelan.com', '(650) 554-4855', ['45 First St.', 'Menlo Park', 'CA', '94304'], { PreferredDeliveryMethod: 'Email' }),
  customer('15', "Pye's Cakes", 'Karen', 'Pye', "Pye's Cakes", 'pyescakes@intuit.com', '(973) 555-4652', ['350 Mountain View Dr.', 'South Orange', 'NJ', '07079']),
  customer('16', 'Kookies by Kathy', 'Kathy', 'Kuplis', 'Kookies by Kathy', 'qbwebsamplecompany@yahoo.com', '(650) 555-7896', ['789 Sugar Lane', 'Middlefield', 'CA', '94303'], { Balance: 75 }),
  customer('17', 'Mark Cho', 'Mark', 'Cho', undefined, 'Mark@Cho.com', '(650) 554-1479', ['36 Willow Rd', 'Menlo Park', 'CA', '94304'], { Balance: 314.28 }),
  customer('18', 'Paulsen Medical Supplies', 'Kathy', 'Paulsen', 'Paulsen Medical Supplies', 'Medical@intuit.com', '(650) 555-4563', ['900 Main St.', 'Middlefield', 'CA', '94303'], { Balance: 954.75 }),
  customer('19', 'Rago Travel Agency', 'Evelyn', 'Cook', 'Rago Travel Agency', 'Rago_Travel@intuit.com', '(650) 555-1596', ['753 Cedar Ave.', 'Bayshore', 'CA', '94326'], { Balance: 103.55 }),
  customer('20', 'Red Rock Diner', 'Stacy', 'Monsoor', 'Red Rock Diner', 'qbwebsamplecompany@yahoo.com', '(650) 555-4973', ['500 Red Rock Rd.', 'Bayshore', 'CA', '94326'], { Balance: 160 }),
  // Named as Intuit's sample company names it: given, middle and family name, no company name
  // (qbo_api cassette all/customers.yml, MIT).
  customer('21', 'Rondonuwu Fruit and Vegi', 'Rondonuwu', 'and Vegi', undefined, 'Tony@Rondonuwu.com', '(650) 555-2645', ['847 California Ave.', 'San Jose', 'CA', '95021'], { Balance: 78.6, MiddleName: 'Fruit', PrintOnCheckName: 'Rondonuwu Fruit and Vegi' }),
  customer('22', 'Shara Barnett', 'Shara', 'Barnett', 'Barnett Design', 'Design@intuit.com', '(650) 555-4345', ['19 Main St.', 'Middlefield', 'CA', '94303']),
  customer('23', 'Barnett Design', 'Shara', 'Barnett', 'Barnett Design', 'Design@intuit.com', '(650) 555-4345', ['19 Main St.', 'Middlefield', 'CA', '94303'], { ParentRef: { value: '22' }, Job: true, Balance: 274.5 }),
  customer('24', 'Sonnenschein Family Store', 'Russ', 'Sonnenschein', 'Sonnenschein Family Store', 'Familiystore@intuit.com', '(650) 557-8463', ['5647 Cypress Hill Ave.', 'Middlefield', 'CA', '94303']),
  customer('25', 'Sushi by Katsuyuki', 'Kachiko', 'Katsuyuki', 'Sushi by Katsuyuki', 'Sushi@intuit.com', '(505) 570-0147', ['898 Elm St.', 'Maplewood', 'NJ', '07040'], { Balance: 160 }),
  customer('26', 'Travis Waldron', 'Travis', 'Waldron', undefined, 'Travis@Waldron.com', '(650) 555-9994', ['78 First St.', 'Monlo Park', 'CA', '94304'], { Balance: 414.72 }),
  customer('27', 'Video Games by Dan', 'Dan', 'Sullivan', 'Video Games by Dan', 'Videogames@intuit.com', '(650) 555-4954', ['1525 Stevens Creek Blvd', 'San Jose', 'CA', '95125']),
  customer('28', 'Wedding Planning by Whitney', 'Whitney', 'Marche', 'Wedding Planning by Whitney', 'Dream_Wedding@intuit.com', '(650) 557-2473', ['135 Broadway', 'Palo Alto', 'CA', '94303']),
  customer('29', 'Weiskopf Consulting', 'Nicole', 'Weiskopf', 'Weiskopf Consulting', 'Consulting@intuit.com', '(650) 555-6748', ['45612 Main St.', 'Bayshore', 'CA', '94326'], { Balance: 390, Active: true }),
]

const SEEDED = { CreateTime: '2025-10-01T11:21:48-07:00', LastUpdatedTime: '2025-10-01T11:21:48-07:00' }
const seeded = (list: WireObject[]): WireObject[] => list.map((r) => ({ ...r, MetaData: { ...SEEDED } }))

const sampleVendors = (): WireObject[] => seeded([
  { Id: '30', DisplayName: 'Bob\'s Burger Joint', CompanyName: "Bob's Burger Joint" },
  { Id: '31', DisplayName: 'Brosnahan Insurance Agency', GivenName: 'Nick', FamilyName: 'Brosnahan', CompanyName: 'Brosnahan Insurance Agency', PrimaryPhone: tel('(650) 555-9912') },
  { Id: '32', DisplayName: 'Cal Telephone', CompanyName: 'Cal Telephone', PrimaryPhone: tel('(650) 555-1616') },
  { Id: '33', DisplayName: 'Hicks Hardware', CompanyName: 'Hicks Hardware', GivenName: 'Geoff', FamilyName: 'Hicks' },
  { Id: '34', DisplayName: 'Pam Seitz, CPA', GivenName: 'Pam', FamilyName: 'Seitz', PrintOnCheckName: 'Pam Seitz' },
])

const sampleEmployees = (): WireObject[] => seeded([
  { Id: '35', DisplayName: 'Emily Platt', GivenName: 'Emily', FamilyName: 'Platt' },
  { Id: '36', DisplayName: 'John Johnson', GivenName: 'John', FamilyName: 'Johnson' },
])

const account = (Name: string, BillingCity: string, Industry: string, extra: WireObject = {}): WireObject => ({ Name, BillingCity, BillingState: 'CA', Industry, ...extra })

const sampleAccounts = (): WireObject[] => [
  // Exact matches.
  account("Amy's Bird Sanctuary", 'Bayshore', 'Retail', { Phone: '(650) 555-3311', Type: 'Customer - Direct' }),
  account('Cool Cars', 'Half Moon Bay', 'Transportation', { Type: 'Customer - Direct' }),
  account('Diego Rodriguez', 'Palo Alto', 'Consulting'),
  account('Freeman Sporting Goods', 'Middlefield', 'Retail', { Website: 'http://sportinggoods.example.com' }),
  account('Geeta Kalapatapu', 'Middlefield', 'Consulting'),
  account('Kookies by Kathy', 'Middlefield', 'Food & Beverage'),
  account('Paulsen Medical Supplies', 'Middlefield', 'Healthcare', { Type: 'Customer - Channel' }),
  account('Red Rock Diner', 'Bayshore', 'Hospitality'),
  account('Sushi by Katsuyuki', 'Maplewood', 'Hospitality', { BillingState: 'NJ' }),
  account('Weiskopf Consulting', 'Bayshore', 'Consulting'),
  account('Shara Barnett', 'Middlefield', 'Media'),
  // Same name, different case or spacing.
  account("BILL'S WINDSURF SHOP", 'Half Moon Bay', 'Recreation'),
  account('dukes basketball camp', 'Tucson', 'Education', { BillingState: 'AZ' }),
  account('Rago  Travel Agency', 'Bayshore', 'Travel'),
  account(' Video Games by Dan ', 'San Jose', 'Entertainment'),
  account('Wedding planning by Whitney', 'Palo Alto', 'Hospitality'),
  // Two Accounts with one customer's name: ambiguous.
  account('Gevelber Photography', 'Middlefield', 'Media'),
  account('Gevelber Photography', 'San Francisco', 'Media', { Description: 'Second office, created by the sales team' }),
  // No matching customer.
  account('Acme Landscaping Supply', 'San Mateo', 'Wholesale'),
  account('Bayview Nurseries', 'Redwood City', 'Agriculture'),
  account('Coastal Irrigation Co.', 'Santa Cruz', 'Construction'),
  account('Evergreen Tree Care', 'Los Altos', 'Agriculture'),
  account('Golden Gate Pavers', 'San Francisco', 'Construction'),
  account('Harbor Lights Hotel', 'Monterey', 'Hospitality'),
  account('Mission Stoneworks', 'Fremont', 'Construction'),
  account('Northwind Traders', 'Oakland', 'Wholesale'),
  account('Pacific Koi Ponds', 'Sunnyvale', 'Retail'),
  account('Redwood Garden Club', 'Woodside', 'Not For Profit'),
  account('Sierra Solar Installers', 'Sacramento', 'Energy'),
  account('Summit Property Management', 'San Jose', 'Real Estate'),
  account('Valley Fresh Markets', 'Gilroy', 'Retail'),
  account('Willow Creek Winery', 'Napa', 'Food & Beverage'),
  account('Zephyr Outdoor Lighting', 'Mountain View', 'Electronics'),
  account('Jalopies Unlimited', 'Menlo Park', 'Transportation'),
]

export function sampleSandboxData(): SandboxData {
  return {
    qbo: {
      realmId: '9341452631925553',
      companyName: "Craig's Design and Landscaping Services",
      customers: sampleCustomers(),
      vendors: sampleVendors(),
      employees: sampleEmployees(),
    },
    salesforce: { accounts: sampleAccounts(), qboCustomers: [] },
  }
}
