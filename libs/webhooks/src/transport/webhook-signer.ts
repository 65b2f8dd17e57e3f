import { createHmac } from 'node:crypto';
import { secretKeyBytes } from './webhook-secret.js';

/**
 * GitHub-style `X-Signature-256`: `sha256=<hex>`, keyed with the whole secret string as shown to
 * the subscriber (its UTF-8 bytes, `whsec_` included), over the raw body bytes.
 */
export function signGithub(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex')}`;
}

/**
 * Standard Webhooks `webhook-signature`: one `v1,<base64>` per active secret, space-separated,
 * keyed with the base64-decoded part after `whsec_`, over `<id>.<timestamp>.<raw body>`.
 * Several secrets let subscribers keep verifying during a rotation overlap.
 */
export function signStandard(
  webhookId: string,
  timestampSeconds: number,
  body: Buffer,
  secrets: string[],
): string {
  if (!Number.isSafeInteger(timestampSeconds)) throw new Error('timestampSeconds must be whole unix seconds');
  if (secrets.length === 0) throw new Error('at least one secret is needed to sign');
  const prefix = Buffer.from(`${webhookId}.${timestampSeconds}.`, 'utf8');
  return secrets
    .map(
      (secret) =>
        `v1,${createHmac('sha256', secretKeyBytes(secret)).update(prefix).update(body).digest('base64')}`,
    )
    .join(' ');
}

export interface DeliveryHeadersInput {
  deliveryId: string;
  eventType: string;
  /** 1-based attempt number. */
  attempt: number;
  timestampSeconds: number;
  body: Buffer;
  /** Signs `X-Signature-256` and comes first in `webhook-signature`. */
  currentSecret: string;
  /** Secrets still inside their rotation overlap; they only add `webhook-signature` entries. */
  previousSecrets: string[];
  userAgentVersion: string;
}

/**
 * Every header of a delivery request as the contract lists them. Holds signatures, never secrets,
 * so the result can be stored as the attempt's `requestHeaders`.
 */
export function buildDeliveryHeaders(input: DeliveryHeadersInput): Record<string, string> {
  if (!Number.isSafeInteger(input.attempt) || input.attempt < 1)
    throw new Error('attempt must be a positive integer');
  return {
    'Content-Type': 'application/json',
    'Content-Length': String(input.body.byteLength), // bytes, not characters: bodies may hold any UTF-8
    'User-Agent': `WhatsMine-Webhooks/${input.userAgentVersion}`,
    'X-Signature-256': signGithub(input.currentSecret, input.body),
    'X-Webhook-Event': input.eventType,
    'X-Webhook-Delivery': input.deliveryId,
    'X-Webhook-Attempt': String(input.attempt),
    'webhook-id': input.deliveryId,
    'webhook-timestamp': String(input.timestampSeconds),
    'webhook-signature': signStandard(input.deliveryId, input.timestampSeconds, input.body, [
      input.currentSecret,
      ...input.previousSecrets.filter((secret) => secret !== input.currentSecret),
    ]),
  };
}
