/**
 * @module sync/spooled-customer
 * The customers of a big run, kept out of the heap between the times they are used. A run holds
 * every customer it read from reading to the end of planning (the names to match, the records
 * made compact as they are read, the links, the items), but only a few of their fields are read
 * at every step: the rest (names, phones, addresses, notes…) are read once to map the customer
 * and once more to plan it. At 100,000 customers the whole customers took 73 MB of heap for all of
 * that time, what is held of them now about 25 MB (README, "Memory").
 *
 * A `SpooledCustomer` holds those few fields itself and its `Spool` handle; every other field is
 * a getter that reads the whole customer back from the spool. The last customer read is kept
 * (`CustomerReader`): the steps that map a customer read its fields one after the other, so one
 * mapping reads one line. It is a `SourceCustomer` to everything else, read only like every one.
 */
import type { SourceCustomer } from './model.js'
import type { Spool } from './ports.js'

/** What a spooled customer holds itself: what every step reads of every customer (the tree, the
 * names to match, the keys) and what a run keeps of it once planned (`CustomerBrief`). */
type Own = 'realmId' | 'qboId' | 'displayName' | 'active' | 'isSubCustomer' | 'parentQboId' | 'email'

/** Every other field of a customer, read from the spool. */
const SPOOLED = [
  'qboCompanyName', 'title', 'givenName', 'middleName', 'familyName', 'suffix', 'companyName', 'printOnCheckName',
  'phone', 'mobile', 'fax', 'otherPhone', 'website', 'billing', 'shipping', 'accountNumber', 'notes', 'level',
  'fullyQualifiedName', 'billWithParent', 'deliveryMethod', 'taxable', 'isProject', 'balance', 'currency',
  'syncToken', 'createdAt', 'updatedAt',
] as const satisfies readonly Exclude<keyof SourceCustomer, Own>[]

// Every field is one or the other: a field added to SourceCustomer and to neither list fails here.
type Missing = Exclude<keyof SourceCustomer, Own | (typeof SPOOLED)[number]>
const everyField: [Missing] extends [never] ? true : Missing = true
void everyField

/** One run's spool of customers, and the last one read back from it. */
export class CustomerReader {
  private lastHandle = -1
  private last: SourceCustomer | null = null
  /** Lines read back (the tests hold a mapping to one). */
  reads = 0

  constructor(private readonly spool: Spool<SourceCustomer>) {}

  /** The customer as a spooled one that reads its other fields back from here. */
  keep(c: SourceCustomer): SpooledCustomer {
    return new Spooled(c, this.spool.put(c), this) as unknown as SpooledCustomer
  }

  /** Whether this customer is one `keep` made. */
  static holds(c: SourceCustomer): c is SpooledCustomer {
    return c instanceof Spooled
  }

  whole(handle: number): SourceCustomer {
    if (handle !== this.lastHandle || !this.last) {
      this.last = this.spool.get(handle)
      this.lastHandle = handle
      this.reads += 1
    }
    return this.last
  }

  close(): void {
    this.last = null
    this.spool.close()
  }
}

/** A customer whose fields but its own are read back from the spool: `CustomerReader.keep`. */
export type SpooledCustomer = SourceCustomer & { whole(): SourceCustomer }

/** Its own fields; the others are getters on its prototype (below), which TypeScript does not see
 * on the class: `keep` gives it as the `SourceCustomer` it is. */
class Spooled {
  realmId: string
  qboId: string
  displayName: string
  active: boolean
  isSubCustomer: boolean
  // Present (maybe undefined) on every one: one shape for all 100,000 (V8's hidden class).
  parentQboId: string | undefined
  email: string | undefined
  readonly #handle: number
  readonly #reader: CustomerReader

  constructor(c: SourceCustomer, handle: number, reader: CustomerReader) {
    this.realmId = c.realmId
    this.qboId = c.qboId
    this.displayName = c.displayName
    this.active = c.active
    this.isSubCustomer = c.isSubCustomer
    this.parentQboId = c.parentQboId
    this.email = c.email
    this.#handle = handle
    this.#reader = reader
  }

  /** The whole customer, as QBO's read made it. */
  whole(): SourceCustomer {
    return this.#reader.whole(this.#handle)
  }
}

for (const name of SPOOLED) {
  Object.defineProperty(Spooled.prototype, name, {
    get(this: Spooled) {
      return this.whole()[name]
    },
    enumerable: true,
  })
}

/** The customer whole: itself, or what its spool holds. */
export function wholeCustomer(c: SourceCustomer): SourceCustomer {
  return CustomerReader.holds(c) ? c.whole() : c
}
