/** The event types the platform publishes, with a one-line description and a sample for test deliveries. */
export interface CatalogueEntry {
  type: string;
  description: string;
  sample: Record<string, unknown>;
}

export const EVENT_CATALOGUE: readonly CatalogueEntry[] = [
  {
    type: 'message.received',
    description: 'A WhatsApp message arrived from a contact.',
    sample: { messageId: 'msg_123', from: '+4915112345678', text: 'Hello 👋' },
  },
  {
    type: 'message.sent',
    description: 'A message was sent to a contact.',
    sample: { messageId: 'msg_124', to: '+4915112345678', text: 'Hi there' },
  },
  {
    type: 'message.status.updated',
    description: 'A sent message changed status (delivered, read, failed).',
    sample: { messageId: 'msg_124', status: 'read' },
  },
  {
    type: 'contact.created',
    description: 'A contact was added to the workspace.',
    sample: { contactId: 'ct_1', name: 'Ada Lovelace', phone: '+4915112345678' },
  },
  {
    type: 'contact.updated',
    description: "A contact's details changed.",
    sample: { contactId: 'ct_1', changes: { name: 'Ada King' } },
  },
  {
    type: 'lead.created',
    description: 'A new lead was captured.',
    sample: { leadId: 'ld_1', source: 'chatbot', email: 'ada@example.com' },
  },
  {
    type: 'order.created',
    description: 'An e-commerce order was placed.',
    sample: { orderId: 'ord_1', total: 4200, currency: 'EUR' },
  },
  {
    type: 'subscription.created',
    description: 'A customer subscription started.',
    sample: { subscriptionId: 'sub_1', plan: 'pro' },
  },
  {
    type: 'subscription.cancelled',
    description: 'A customer subscription was cancelled.',
    sample: { subscriptionId: 'sub_1', reason: 'customer_request' },
  },
  {
    type: 'payment.succeeded',
    description: 'A payment went through.',
    sample: { paymentId: 'pay_1', amount: 4200, currency: 'EUR' },
  },
  {
    type: 'payment.failed',
    description: 'A payment was declined or failed.',
    sample: { paymentId: 'pay_2', amount: 4200, currency: 'EUR', reason: 'card_declined' },
  },
  {
    type: 'webhook.test',
    description: 'Sent by "test" on an endpoint to check that it works.',
    sample: { message: 'This is a test delivery from WhatsMine.' },
  },
];

export const EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_CATALOGUE.map((e) => e.type));
export const WILDCARD = '*';

export function catalogueEntry(type: string): CatalogueEntry | undefined {
  return EVENT_CATALOGUE.find((e) => e.type === type);
}

/** Does a subscription list (types or ["*"]) cover this event type? */
export function subscribesTo(events: readonly string[], type: string): boolean {
  return events.includes(WILDCARD) || events.includes(type);
}
