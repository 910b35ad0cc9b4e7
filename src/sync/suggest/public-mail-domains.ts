/**
 * @module sync/suggest/public-mail-domains
 * Mail domains anyone can sign up for (contract §10: an e-mail domain is never evidence when it is a
 * public one). Written for Tally, not copied: the consumer mail services of the major providers and
 * the large national ISPs of the countries Tally's customers are in (US, UK, DE, FR, NL), taken from
 * each provider's own sign-up pages (Google Gmail, Microsoft Outlook.com, Yahoo Mail, Apple iCloud,
 * AOL, Proton, GMX/WEB.DE, Orange, Free, SFR, La Poste, BT, Sky, Virgin Media, KPN, Ziggo, Zoho,
 * Yandex, Mail.ru, Fastmail, Tuta, Comcast, Verizon, AT&T, Spectrum, Cox). A domain missing from
 * this list only costs precision where a person's private address shares a domain with an Account's
 * Website, which the other signals still have to confirm.
 */
const PUBLIC_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  // Google, Microsoft, Yahoo, Apple, AOL
  'gmail.com', 'googlemail.com',
  'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'passport.com',
  'hotmail.co.uk', 'hotmail.de', 'hotmail.fr', 'hotmail.nl', 'live.co.uk', 'live.de', 'live.fr', 'live.nl',
  'outlook.de', 'outlook.fr', 'outlook.co.uk',
  'yahoo.com', 'ymail.com', 'rocketmail.com', 'yahoo.co.uk', 'yahoo.de', 'yahoo.fr', 'yahoo.nl',
  'icloud.com', 'me.com', 'mac.com',
  'aol.com', 'aim.com', 'aol.co.uk', 'aol.de', 'aol.fr',
  // Privacy and independent providers
  'proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me',
  'fastmail.com', 'fastmail.fm', 'tutanota.com', 'tutanota.de', 'tuta.io', 'tuta.com',
  'zoho.com', 'zohomail.com', 'mail.com', 'email.com', 'hey.com',
  'yandex.com', 'yandex.ru', 'mail.ru', 'inbox.com', 'hushmail.com',
  // United States ISPs
  'comcast.net', 'xfinity.com', 'verizon.net', 'att.net', 'sbcglobal.net', 'bellsouth.net',
  'charter.net', 'spectrum.net', 'cox.net', 'earthlink.net', 'optonline.net', 'frontier.com',
  'windstream.net', 'centurylink.net', 'juno.com', 'netzero.net',
  // United Kingdom
  'btinternet.com', 'btopenworld.com', 'sky.com', 'virginmedia.com', 'blueyonder.co.uk',
  'ntlworld.com', 'talktalk.net', 'tiscali.co.uk', 'plus.net',
  // Germany
  'gmx.de', 'gmx.net', 'gmx.com', 'web.de', 't-online.de', 'freenet.de', 'arcor.de', 'posteo.de',
  'mailbox.org', '1und1.de', 'online.de',
  // France
  'orange.fr', 'wanadoo.fr', 'free.fr', 'sfr.fr', 'neuf.fr', 'laposte.net', 'bbox.fr', 'numericable.fr',
  // Netherlands
  'kpnmail.nl', 'kpnplanet.nl', 'planet.nl', 'ziggo.nl', 'home.nl', 'hetnet.nl', 'casema.nl',
  'chello.nl', 'xs4all.nl', 'upcmail.nl', 'telfort.nl',
])

/** True when `domain` (lower case, no leading "@") is, or is under, a public mail domain. */
export function isPublicMailDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/u, '')
  if (PUBLIC_MAIL_DOMAINS.has(d)) return true
  // Regional sub-domains such as "uk.yahoo.com" or "mail.orange.fr".
  const dot = d.indexOf('.')
  return dot > 0 && PUBLIC_MAIL_DOMAINS.has(d.slice(dot + 1))
}
