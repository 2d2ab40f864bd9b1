import type { PendingClick } from "~/domain/links/click-recorder.server";

let sequence = 0;

/** A click as the redirect queues it: a person's browser on the link, at `at`, unless `fields` say otherwise. */
export function pendingClick(link: { id: string; organisationId: string }, at: Date, fields: Partial<PendingClick> = {}): PendingClick {
  sequence++;
  return {
    clickedAt: at,
    clickId: `c${sequence}${Math.random().toString(36).slice(2, 12)}`,
    linkId: link.id,
    organisationId: link.organisationId,
    requestedCode: null,
    visitorHash: `visitor-${sequence}`,
    userAgentClass: "browser",
    referrerHost: null,
    country: null,
    isBot: false,
    isTest: false,
    fallbackReason: null,
    ...fields,
  };
}
