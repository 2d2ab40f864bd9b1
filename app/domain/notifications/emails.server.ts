import { brandPalette } from "~/lib/brand-colors";
import type { EmailPayload } from "#db/schema/index";
import { roleLabel } from "../accounts/roles";
import { formatDate, formatDateTime } from "~/lib/dates";

export function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Who an email is from: the program name, its logo as an absolute URL on the
 * canonical origin (emailBrand in settings/program.server.ts) or none, and
 * its brand colour for the button.
 */
type Sender = { programName: string; logoUrl?: string | null; brandColor?: string | null };

type Layout = Sender & { to: string; subject: string; paragraphs: string[]; action?: { label: string; url: string }; footnote?: string };

/** The logo when there is one (its alt text is the program name, for mail that blocks images), else the name. */
function masthead({ programName, logoUrl }: Sender): string {
  if (logoUrl)
    return `<p><img src="${escapeHtml(logoUrl)}" alt="${escapeHtml(programName)}" height="48" style="display:block;height:48px;width:auto;max-width:240px;border:0"></p>`;
  return `<p style="font-weight:600;font-size:16px">${escapeHtml(programName)}</p>`;
}

/** Every email has a plain-text part and a simple, escaped HTML part. */
function compose(layout: Layout): EmailPayload {
  const textParts = [...layout.paragraphs];
  if (layout.action) textParts.push(`${layout.action.label}: ${layout.action.url}`);
  if (layout.footnote) textParts.push(layout.footnote);
  textParts.push(`— ${layout.programName}`);
  // The brand's button, its text at WCAG AA contrast; the default palette for a missing or bad colour.
  const button = brandPalette(layout.brandColor) ?? { brand: "#4f46e5", contrast: "#ffffff" };
  const html = [
    `<div style="font-family:system-ui,sans-serif;max-width:560px;margin:auto;color:#111827">`,
    masthead(layout),
    ...layout.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    layout.action
      ? `<p><a href="${escapeHtml(layout.action.url)}" style="display:inline-block;padding:10px 16px;background:${button.brand};color:${button.contrast};border-radius:6px;text-decoration:none">${escapeHtml(layout.action.label)}</a></p><p style="font-size:13px;color:#6b7280">Or paste this link into your browser: ${escapeHtml(layout.action.url)}</p>`
      : "",
    layout.footnote ? `<p style="font-size:13px;color:#6b7280">${escapeHtml(layout.footnote)}</p>` : "",
    `</div>`,
  ].join("");
  return { to: layout.to, subject: layout.subject, text: textParts.join("\n\n"), html };
}

export function invitationEmail(input: {
  to: string;
  programName: string;
  logoUrl?: string | null;
  brandColor?: string | null;
  inviterName: string;
  role: string;
  url: string;
  expiresAt: Date;
}): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: `You're invited to ${input.programName}`,
    paragraphs: [
      `${input.inviterName} invited you to join ${input.programName} as ${roleLabel(input.role).toLowerCase()}.`,
      `Open the link below to choose a password and activate your account. The link works once and expires on ${formatDateTime(input.expiresAt)}.`,
    ],
    action: { label: "Accept invitation", url: input.url },
    footnote: "If you were not expecting this invitation, you can ignore this email.",
  });
}

export function passwordResetEmail(input: {
  to: string;
  programName: string;
  logoUrl?: string | null;
  brandColor?: string | null;
  url: string;
  expiresAt: Date;
}): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: `Reset your ${input.programName} password`,
    paragraphs: [
      "Someone asked to reset the password of this account. If it was you, choose a new password with the link below.",
      `The link works once and expires on ${formatDateTime(input.expiresAt)}.`,
    ],
    action: { label: "Choose a new password", url: input.url },
    footnote: "If you did not ask for this, ignore this email: your password stays as it is.",
  });
}

export function passwordChangedEmail(input: { to: string; programName: string; logoUrl?: string | null; brandColor?: string | null }): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: `Your ${input.programName} password was changed`,
    paragraphs: [
      "The password of your account was just changed and every signed-in session was ended.",
      "If you did not do this, reset your password at once and tell your program administrator.",
    ],
  });
}

type ApplicantEmail = { to: string; programName: string; logoUrl?: string | null; brandColor?: string | null; contactName: string; reference: string };

export function applicationReceivedEmail(input: ApplicantEmail & { statusUrl: string; amended?: boolean }): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: input.amended
      ? `We received your updated application (${input.reference})`
      : `We received your application to ${input.programName} (${input.reference})`,
    paragraphs: [
      `Hello ${input.contactName},`,
      input.amended
        ? `Thank you for updating your application to ${input.programName}. It is back with our team for review.`
        : `Thank you for applying to ${input.programName}. Your reference is ${input.reference}.`,
      "Our team reviews every application and will email you with a decision. Keep the reference: with it and this email address you can check the status of your application at any time.",
    ],
    action: { label: "Check your application's status", url: input.statusUrl },
  });
}

export function applicationApprovedEmail(input: ApplicantEmail & { organisationName: string; url: string; expiresAt: Date; resent?: boolean }): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: input.resent ? `Your invitation to ${input.programName}` : `Welcome to ${input.programName}: your application is approved`,
    paragraphs: [
      `Hello ${input.contactName},`,
      input.resent
        ? `Here is a new link to set up ${input.organisationName}'s partner account. Earlier links no longer work.`
        : `Good news: your application ${input.reference} is approved and ${input.organisationName} is now a partner of ${input.programName}.`,
      `Open the link below to choose a password. You will be the owner of ${input.organisationName}'s partner account and can invite your team. The link works once and expires on ${formatDateTime(input.expiresAt)}.`,
    ],
    action: { label: "Set up your partner account", url: input.url },
    footnote: "If you were not expecting this email, you can ignore it.",
  });
}

export function applicationRejectedEmail(input: ApplicantEmail & { reason: string; note: string | null; reapplyFrom: Date }): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: `Your application to ${input.programName} (${input.reference})`,
    paragraphs: [
      `Hello ${input.contactName},`,
      `Thank you for your interest in ${input.programName}. After reviewing your application ${input.reference}, we are not able to accept it at this time.`,
      `Reason: ${input.reason}.`,
      ...(input.note ? [`A note from our team: ${input.note}`] : []),
      `You are welcome to apply again from ${formatDate(input.reapplyFrom)}.`,
    ],
  });
}

export function applicationInfoRequestedEmail(input: ApplicantEmail & { message: string; url: string; expiresAt: Date }): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: `We need a little more information (${input.reference})`,
    paragraphs: [
      `Hello ${input.contactName},`,
      `Thank you for applying to ${input.programName}. Before we can decide on your application ${input.reference}, our team would like to know more:`,
      input.message,
      `Open the link below to update your application and send it back to us. The link expires on ${formatDateTime(input.expiresAt)}.`,
    ],
    action: { label: "Update your application", url: input.url },
  });
}

export function policyReminderEmail(input: {
  to: string;
  programName: string;
  logoUrl?: string | null;
  brandColor?: string | null;
  name: string;
  policyTitle: string;
  number: number;
  url: string;
}): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: `Please accept ${input.policyTitle} (version ${input.number})`,
    paragraphs: [
      `Hello ${input.name},`,
      `${input.programName} published version ${input.number} of its ${input.policyTitle}, and you have not accepted it yet.`,
      "Please read it and accept it. Each member of your team accepts policies for themselves.",
    ],
    action: { label: `Read ${input.policyTitle}`, url: input.url },
  });
}

/** A material version was published: the partner area stays closed to this person until they accept it. */
export function policyPublishedEmail(input: {
  to: string;
  programName: string;
  logoUrl?: string | null;
  brandColor?: string | null;
  name: string;
  policyTitle: string;
  number: number;
  changeSummary: string;
  url: string;
}): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: `${input.policyTitle} changed: accept version ${input.number} to continue`,
    paragraphs: [
      `Hello ${input.name},`,
      `${input.programName} published version ${input.number} of its ${input.policyTitle}.`,
      ...(input.changeSummary ? [`What changed: ${input.changeSummary}`] : []),
      "The change is material: until you read and accept the new version, the partner area opens only its policy pages. Each member of your team accepts for themselves.",
    ],
    action: { label: `Read and accept ${input.policyTitle}`, url: input.url },
  });
}

export function teamInvitationEmail(input: {
  to: string;
  programName: string;
  logoUrl?: string | null;
  brandColor?: string | null;
  inviterName: string;
  organisationName: string;
  url: string;
  expiresAt: Date;
}): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: `Join ${input.organisationName} on ${input.programName}`,
    paragraphs: [
      `${input.inviterName} invited you to join ${input.organisationName}'s partner team on ${input.programName}.`,
      `Open the link below to choose a password. The link works once and expires on ${formatDateTime(input.expiresAt)}.`,
    ],
    action: { label: "Join the team", url: input.url },
    footnote: "If you were not expecting this invitation, you can ignore this email.",
  });
}

/**
 * To an address a partner owner tried to invite but that cannot join their
 * team. The owner is told nothing either way (they must not learn who has an
 * account); the owner of the address is, so a real colleague can give another.
 */
export function teamInvitationNotPossibleEmail(input: {
  to: string;
  programName: string;
  logoUrl?: string | null;
  brandColor?: string | null;
  inviterName: string;
  organisationName: string;
  reason: "account_exists" | "invited_elsewhere";
}): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: `${input.organisationName} tried to invite you to ${input.programName}`,
    paragraphs: [
      `${input.inviterName} tried to invite this address to ${input.organisationName}'s partner team on ${input.programName}.`,
      input.reason === "account_exists"
        ? `This address already has an account with ${input.programName}, and an address can belong to only one account, so no invitation was sent. ${input.organisationName} was not told why.`
        : `This address already has an invitation to ${input.programName} waiting, and an address can belong to only one account, so no second invitation was sent. ${input.organisationName} was not told why.`,
      `If you want to join ${input.organisationName}'s team, ask ${input.inviterName} to invite another of your addresses.`,
    ],
    footnote: "If you were not expecting this, you can ignore this email.",
  });
}

export function partnerTermsChangedEmail(input: {
  to: string;
  programName: string;
  logoUrl?: string | null;
  brandColor?: string | null;
  name: string;
  organisationName: string;
  tier: string;
  terms: string;
  renewalDate: string | null;
  reason: string;
  url: string;
}): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: `${input.organisationName}'s partner terms have changed`,
    paragraphs: [
      `Hello ${input.name},`,
      `${input.programName} changed ${input.organisationName}'s partnership terms. From now on:`,
      `Tier: ${input.tier}. Terms: ${input.terms}.${input.renewalDate ? ` Renewal: ${formatDate(new Date(`${input.renewalDate}T00:00:00Z`))}.` : ""}`,
      `Why: ${input.reason}`,
      "Your partner home shows the terms that apply. If you have questions, reply to your contact at the program.",
    ],
    action: { label: "Open your partner home", url: input.url },
  });
}

/** To each member of a partner organisation: the program paused, resumed or ended the partnership (the kill switch). */
export function partnerStatusChangedEmail(
  input: Sender & {
    to: string;
    name: string;
    organisationName: string;
    change: "paused" | "resumed" | "terminated";
    reason: string | null;
    withdrawn: number;
    url: string;
  },
): EmailPayload {
  const why = input.reason ? [`Why: ${input.reason}`] : [];
  const withdrawn =
    input.withdrawn > 0
      ? [
          `${input.withdrawn} creative${input.withdrawn === 1 ? " that was" : "s that were"} waiting for review ${input.withdrawn === 1 ? "was" : "were"} withdrawn.`,
        ]
      : [];
  const content = {
    paused: {
      subject: `${input.organisationName}'s partnership with ${input.programName} is paused`,
      paragraphs: [
        `Hello ${input.name},`,
        `${input.programName} paused ${input.organisationName}'s partnership.`,
        ...why,
        `While it is paused, visitors of your links go to the program's fallback page, downloads and kits are refused, no creative can be sent for review and no new link can be made.`,
        ...withdrawn,
        "You can still sign in and read your partner area. If you have questions, reply to your contact at the program.",
      ],
    },
    resumed: {
      subject: `${input.organisationName}'s partnership with ${input.programName} is active again`,
      paragraphs: [
        `Hello ${input.name},`,
        `${input.programName} resumed ${input.organisationName}'s partnership.`,
        ...why,
        "Your links send visitors to their destinations again, and downloads, kits, submissions and new links are open again. Creatives withdrawn during the pause stay withdrawn: submit them again if you still need them.",
      ],
    },
    terminated: {
      subject: `${input.organisationName}'s partnership with ${input.programName} has ended`,
      paragraphs: [
        `Hello ${input.name},`,
        `${input.programName} ended ${input.organisationName}'s partnership.`,
        ...why,
        "Visitors of your links now go to the program's fallback page, your downloads and submissions are closed, and every member of your team was signed out. Open invitations to your team were withdrawn.",
        ...withdrawn,
        "If you have questions, reply to your contact at the program.",
      ],
    },
  }[input.change];
  return compose({ ...input, ...content, ...(input.change === "terminated" ? {} : { action: { label: "Open your partner home", url: input.url } }) });
}

/** To the brand's reviewers: a partner sent a creative (or a new version of one) for review. */
export function creativeSubmittedEmail(
  input: Sender & {
    to: string;
    organisationName: string;
    title: string;
    channel: string;
    version: number;
    warnings: number;
    url: string;
  },
): EmailPayload {
  const which = input.version > 1 ? `version ${input.version} of "${input.title}"` : `"${input.title}"`;
  return compose({
    ...input,
    subject: `${input.organisationName} submitted ${input.version > 1 ? `version ${input.version} of ` : ""}"${input.title}" for review`,
    paragraphs: [
      `${input.organisationName} submitted ${which} (${input.channel}) for review.`,
      input.warnings
        ? `The pre-screen passed it with ${input.warnings} warning${input.warnings === 1 ? "" : "s"} for you to check.`
        : "The pre-screen found nothing to flag.",
    ],
    action: { label: "Open the creative", url: input.url },
  });
}

/** To the brand's reviewers: a partner took a creative back before a decision; nothing is left to review. */
export function creativeWithdrawnEmail(input: Sender & { to: string; organisationName: string; title: string; reason: string; url: string }): EmailPayload {
  return compose({
    ...input,
    subject: `${input.organisationName} withdrew "${input.title}"`,
    paragraphs: [`${input.organisationName} withdrew "${input.title}" before a decision, so it no longer needs review.`, `Their reason: ${input.reason}`],
    action: { label: "Open the creative", url: input.url },
  });
}

// Creative review (issue 14): what the partner hears about each decision, and the team's overdue reminder.

type CreativeNotice = Sender & { to: string; title: string; version: number; url: string };

/** To the partner: the last required stage approved (or the matrix approved a clean submission by itself). */
export function creativeApprovedEmail(input: CreativeNotice & { automatic: boolean; shortUrl: string | null }): EmailPayload {
  return compose({
    ...input,
    subject: `"${input.title}" is approved`,
    paragraphs: [
      input.automatic
        ? `Version ${input.version} of "${input.title}" is approved: the pre-screen found nothing to flag and the program approves such creatives without a reviewer.`
        : `Version ${input.version} of "${input.title}" passed every review it needed and is approved.`,
      "Use it exactly as approved; a change needs a new submission.",
      ...(input.shortUrl
        ? [
            `Its tracking link is ${input.shortUrl} — use it wherever the creative links to us, as it is: it carries the program's tracking, and anything added to it is not passed on.`,
          ]
        : []),
    ],
    action: { label: "Open the creative", url: input.url },
  });
}

/** To the partner: one stage approved and another still has to decide, so they know it is moving. */
export function creativeStageApprovedEmail(input: CreativeNotice & { stage: string; nextStage: string }): EmailPayload {
  return compose({
    ...input,
    subject: `${input.stage} review approved "${input.title}"`,
    paragraphs: [
      `${input.stage} review approved version ${input.version} of "${input.title}".`,
      `${input.nextStage} review decides next; nothing is needed from you in the meantime.`,
    ],
    action: { label: "Open the creative", url: input.url },
  });
}

/**
 * To the partner: a stage asked for changes. With `confirm` it approved them
 * in principle: the next version goes back to the same stage to confirm them.
 */
export function creativeChangesRequestedEmail(input: CreativeNotice & { stage: string; comment: string; confirm: boolean }): EmailPayload {
  return compose({
    ...input,
    subject: input.confirm ? `"${input.title}" is approved once you make the required changes` : `Changes requested on "${input.title}"`,
    paragraphs: [
      input.confirm
        ? `${input.stage} review approves version ${input.version} of "${input.title}" with required changes.`
        : `${input.stage} review asks for changes to version ${input.version} of "${input.title}".`,
      `What to change: ${input.comment}`,
      input.confirm
        ? `Upload a new version that makes these changes; ${input.stage.toLowerCase()} review will confirm them.`
        : "Upload a new version that addresses them; it will be reviewed again.",
    ],
    action: { label: "Open the creative", url: input.url },
  });
}

/** To the partner: a stage rejected the creative; it cannot be resubmitted. */
export function creativeRejectedEmail(input: CreativeNotice & { stage: string; comment: string }): EmailPayload {
  return compose({
    ...input,
    subject: `"${input.title}" was not approved`,
    paragraphs: [
      `${input.stage} review rejected version ${input.version} of "${input.title}".`,
      `Why: ${input.comment}`,
      "It cannot be used. You can start a new creative.",
    ],
    action: { label: "Open the creative", url: input.url },
  });
}

/** To the partner: an approval was taken back; the creative must no longer run. */
export function creativeApprovalRevokedEmail(input: CreativeNotice & { reason: string }): EmailPayload {
  return compose({
    ...input,
    subject: `The approval of "${input.title}" was revoked`,
    paragraphs: [`The program revoked its approval of version ${input.version} of "${input.title}". Stop using it wherever it runs.`, `Why: ${input.reason}`],
    action: { label: "Open the creative", url: input.url },
  });
}

/** To the stage's assignee and the admins: a review stage passed its due time (sent once, then daily). */
export function creativeStageOverdueEmail(
  input: Sender & {
    to: string;
    organisationName: string;
    title: string;
    version: number;
    stage: string;
    overdue: string;
    assignee: string | null;
    url: string;
  },
): EmailPayload {
  return compose({
    ...input,
    subject: `Overdue: ${input.stage.toLowerCase()} review of "${input.title}"`,
    paragraphs: [
      `The ${input.stage.toLowerCase()} review of version ${input.version} of "${input.title}" (${input.organisationName}) is ${input.overdue}.`,
      input.assignee ? `${input.assignee} has claimed it.` : "Nobody has claimed it yet.",
    ],
    action: { label: "Open the creative", url: input.url },
  });
}

/** To the reviewers of the next stage: the stage before approved, so the creative now waits for them. */
export function creativeStageOpenedEmail(
  input: Sender & { to: string; organisationName: string; title: string; version: number; stage: string; after: string; dueAt: Date; url: string },
): EmailPayload {
  return compose({
    ...input,
    subject: `"${input.title}" is ready for ${input.stage.toLowerCase()} review`,
    paragraphs: [
      `${input.after} review approved version ${input.version} of "${input.title}" (${input.organisationName}); ${input.stage.toLowerCase()} review is next.`,
      `It is due by ${formatDateTime(input.dueAt)}.`,
    ],
    action: { label: "Open the creative", url: input.url },
  });
}

/** Settings → Email's "Send a test email": proof the configured transport and sender reach a real inbox. */
export function testEmail(input: Sender & { to: string; settingsUrl: string }): EmailPayload {
  return compose({
    to: input.to,
    programName: input.programName,
    logoUrl: input.logoUrl,
    brandColor: input.brandColor,
    subject: `Test email from ${input.programName}`,
    paragraphs: [
      "This is the test email you asked for in Settings → Email.",
      "If it reached you with the sender name and reply-to address you chose, email from the program is working.",
    ],
    action: { label: "Back to email settings", url: input.settingsUrl },
  });
}

/** A partnership's renewal date is near: to the brand's admins (decide) and the partner's owner (be ready). */
export function partnerRenewalReminderEmail(
  input: Sender & { to: string; audience: "brand" | "partner"; organisationName: string; renewalDate: string; daysLeft: number; url: string },
): EmailPayload {
  const when = `${formatDate(input.renewalDate)} (${input.daysLeft === 0 ? "today" : input.daysLeft === 1 ? "tomorrow" : `in ${input.daysLeft} days`})`;
  const paragraphs =
    input.audience === "brand"
      ? [
          `${input.organisationName}'s partnership renews on ${when}.`,
          "Review its performance, terms and incidents, then renew it with a new renewal date on the partner's page, change its terms, or let it end.",
        ]
      : [
          `Your partnership with ${input.programName} renews on ${when}.`,
          "Your contact at the program will be in touch about the renewal; your partner home shows your current tier and terms.",
        ];
  return compose({
    ...input,
    subject: `${input.audience === "brand" ? input.organisationName : "Your partnership"} renews on ${formatDate(input.renewalDate)}`,
    paragraphs,
    action: { label: input.audience === "brand" ? "Open the partner's page" : "Open your partner home", url: input.url },
  });
}

// Incidents (issue 17 point 2): the partner hears when one is shared with them; the owner when the partner replies.

/** To a partner's owners: the program shared an incident about them, to read and answer. */
export function incidentSharedEmail(
  input: Sender & { to: string; name: string; organisationName: string; reference: string; title: string; url: string },
): EmailPayload {
  return compose({
    ...input,
    subject: `${input.programName} shared an incident with ${input.organisationName}: ${input.reference}`,
    paragraphs: [
      `Hello ${input.name},`,
      `${input.programName} shared an incident about ${input.organisationName} with you: "${input.title}" (${input.reference}).`,
      "Please read it in your partner area and reply there: your reply goes to the person handling it.",
    ],
    action: { label: "Open the incident", url: input.url },
  });
}

/** To the incident's owner: the partner replied on it. */
export function incidentReplyEmail(
  input: Sender & { to: string; organisationName: string; reference: string; title: string; author: string; reply: string; url: string },
): EmailPayload {
  return compose({
    ...input,
    subject: `${input.organisationName} replied on ${input.reference}`,
    paragraphs: [`${input.author} of ${input.organisationName} replied on "${input.title}" (${input.reference}):`, input.reply],
    action: { label: "Open the incident", url: input.url },
  });
}

/** To the program's admins: a webhook endpoint kept failing and was disabled; nothing is sent to it until it is enabled again. */
export function webhookDisabledEmail(
  input: Sender & { to: string; endpointUrl: string; failures: number; lastError: string | null; url: string },
): EmailPayload {
  return compose({
    ...input,
    subject: `A webhook endpoint of ${input.programName} was disabled after repeated failures`,
    paragraphs: [
      `The webhook endpoint ${input.endpointUrl} failed ${input.failures} deliveries in a row, every attempt of each, so it was disabled.`,
      ...(input.lastError ? [`The last error: ${input.lastError}`] : []),
      "No events are sent to it until an admin enables it again. Fix the receiver, then enable the endpoint and redeliver what it missed from its delivery log.",
    ],
    action: { label: "Open the endpoint", url: input.url },
  });
}
