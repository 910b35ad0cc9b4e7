/**
 * @module jobs/alerts/channel
 * A way alerts reach people: an incoming webhook or e-mail. `send` throws when the message was not
 * accepted (the service records that on the alert); it never retries forever.
 */
import type { AlertChannel as ChannelName } from '../../store/index.js'

export interface AlertMessage {
  /** A short line: the e-mail's subject. */
  subject: string
  /** The whole message: the webhook's `text`, the e-mail's body. */
  text: string
}

export interface AlertChannel {
  readonly name: ChannelName
  send(message: AlertMessage): Promise<void>
  close?(): Promise<void>
}
