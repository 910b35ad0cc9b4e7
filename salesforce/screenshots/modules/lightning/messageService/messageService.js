/** Stand-in for lightning/messageService: one page-wide bus, as Lightning Message Service is within a tab. */
const subscribers = new Map();
let next = 0;

export class MessageContext {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
    }
    connect() {
        this.dataCallback({});
    }
    disconnect() {}
    update() {}
}

export function publish(context, channel, message) {
    for (const s of subscribers.values()) if (s.channel === channel) s.listener(message);
}

export function subscribe(context, channel, listener) {
    const id = ++next;
    subscribers.set(id, { channel, listener });
    return { id };
}

export function unsubscribe(subscription) {
    if (subscription) subscribers.delete(subscription.id);
}
