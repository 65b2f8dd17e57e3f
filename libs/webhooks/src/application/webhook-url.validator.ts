import { checkWebhookTarget, parseWebhookUrl } from '../transport/webhook-url-policy.js';

/** The one URL policy, used on register, patch and test (the sender re-checks at connect time). */
export async function validateWebhookUrl(raw: string, allowPrivateNetworks: boolean): Promise<string> {
  const url = parseWebhookUrl(raw);
  await checkWebhookTarget(url, { allowPrivateNetworks });
  return url.href;
}
