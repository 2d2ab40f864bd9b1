/** Demo policy texts: plausible, short enough to read, long enough to look real. */
export const DEMO_POLICY_TEXTS: Record<string, { body: string; changeSummary: string }> = {
  program_terms: {
    changeSummary: "First version",
    body: `# Lumen Partner Program terms

These terms form the agreement between **Lumen Lighting Ltd** ("Lumen") and the partner organisation that accepts them ("you").

## 1. Joining the program
1. Your application was approved by Lumen's partner team. Approval may be withdrawn if the information you gave was materially wrong.
2. Each person who uses the partner area accepts these terms for themselves.

## 2. Commissions and payments
- Commissions are set out in your partner record (tier and commercial model).
- Commissions are calculated on net revenue: orders minus refunds, returns and taxes.
- Lumen pays monthly, 30 days after the end of the month in which an order becomes final.

## 3. What you may not do
- Bid on "Lumen" or misspellings of it in paid search.
- Offer discount codes that Lumen has not issued to you.
- Make product claims other than those in the approved claims library.

## 4. Ending the partnership
Either party may end the partnership with 30 days' notice in writing. Lumen may end it at once for a serious breach of these terms or of the disclosure rules.

Questions: [partners@lumen.test](mailto:partners@lumen.test).`,
  },
  brand_guidelines: {
    changeSummary: "First version",
    body: `# Brand guidelines

Use Lumen's name, logos and product images only as these guidelines allow.

## Logos
- Download logos from the asset hub; never redraw or recolour them.
- Keep clear space around the logo of at least the height of the "L".
- Do not place the logo on busy photographs or low-contrast backgrounds.

## Naming
Write **Lumen** with a capital L. Product names are written exactly as in the asset hub, e.g. *Lumen Scene Hub*.

## Product claims
Only use claims from the approved claims library, **with their disclaimers**, in the channels and regions each claim allows.`,
  },
  disclosure_rules: {
    changeSummary: "First version",
    body: `# Disclosure rules

Your audience must always know that you have a commercial relationship with Lumen.

| Channel | What to write | Where |
|---|---|---|
| Blog or website | "This post contains affiliate links. I earn a commission from Lumen." | Before the first link |
| Social posts | #ad or "Paid partnership with Lumen" | At the start of the caption |
| Video | Say it out loud and show it on screen | In the first 30 seconds |
| Email | "Sponsored by Lumen" | In the subject line or first line |

Disclosures must be clear, in the language of the content, and not hidden behind "more" links.`,
  },
  data_handling: {
    changeSummary: "First version",
    body: `# Data handling

1. Lumen shares no personal data of its customers with partners. Reports show aggregated figures only.
2. You are responsible for your own audience's data under the laws that apply to you (for example the GDPR).
3. Do not upload personal data to Lumen's partner portal in creative or messages.
4. Tell Lumen within 72 hours at [security@lumen.test](mailto:security@lumen.test) if you suspect a breach that involves Lumen links or materials.`,
  },
};

/** A minor correction published after the first version: partners are asked, not blocked. */
export const DEMO_GUIDELINES_UPDATE = {
  changeSummary: "Clear space rule explained with an example",
  body: DEMO_POLICY_TEXTS.brand_guidelines!.body.replace(
    `- Keep clear space around the logo of at least the height of the "L".`,
    `- Keep clear space around the logo of at least the height of the "L" (about 24 px around a 120 px wide logo).`,
  ),
};
