import { Link } from "@remix-run/react";
import { labelOf } from "~/domain/applications/catalog";
import type { CurrencyFigures } from "~/domain/conversions/metrics";
import type { PartnerLinkView } from "~/domain/links/partner-links.server";
import { formatMoney } from "~/lib/money";
import { ClickCounts, CopyField, formatCount, LinkStateBadges } from "./link-parts";
import { figuresLine } from "./performance-parts";
import { DownloadIcon, ExternalLinkIcon } from "./ui";

/** Which creative version a link is for, linked to the creative, or "Evergreen". */
export function LinkSource({ link }: { link: Pick<PartnerLinkView, "kind" | "creativeId" | "versionNumber" | "label"> }) {
  if (link.kind === "evergreen" || !link.creativeId) return <>Evergreen</>;
  return (
    <Link to={`/partner/creatives/${link.creativeId}`}>
      {link.label}
      {link.versionNumber ? `, version ${link.versionNumber}` : ""}
    </Link>
  );
}

/** The QR code downloads and the test click of a link: plain links, so they work without JavaScript. */
export function LinkTools({ link }: { link: Pick<PartnerLinkView, "id" | "label" | "testClickUrl"> }) {
  const of = <span className="visually-hidden"> of {link.label}</span>;
  return (
    <ul className="link-tools" aria-label={`Tools for ${link.label}`}>
      <li>
        <a href={`/partner/links/${link.id}/qr.svg`} download>
          <DownloadIcon /> QR code (SVG){of}
        </a>
      </li>
      <li>
        <a href={`/partner/links/${link.id}/qr.png`} download>
          <DownloadIcon /> QR code (PNG){of}
        </a>
      </li>
      <li>
        {/* A new tab, so the partner keeps this page; noreferrer, so the test carries no referrer from the portal. */}
        <a href={link.testClickUrl} target="_blank" rel="noopener noreferrer">
          <ExternalLinkIcon /> Send a test click{of}
          <span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      </li>
    </ul>
  );
}

/** What a link brought over the list's range, in the program's currency, with other currencies apart. */
export type LinkCardPerformance = {
  currency: string;
  days: number;
  conversions: number;
  revenueMinor: number;
  commissionMinor: number;
  otherCurrencies: CurrencyFigures[];
};

/** A link's conversions, revenue and commission over the range, beside its click counts. */
function LinkConversions({ performance: p }: { performance: LinkCardPerformance }) {
  return (
    <div className="link-conversions">
      <dl className="click-counts" aria-label={`Conversions, last ${p.days} days`}>
        <div>
          <dt>Conversions, {p.days} days</dt>
          <dd>{formatCount(p.conversions)}</dd>
        </div>
        <div>
          <dt>Revenue</dt>
          <dd>{formatMoney(p.revenueMinor, p.currency)}</dd>
        </div>
        <div>
          <dt>Commission</dt>
          <dd>{formatMoney(p.commissionMinor, p.currency)}</dd>
        </div>
      </dl>
      {p.otherCurrencies.map((other) => (
        <p key={other.currency} className="muted small">
          Also in {other.currency}: {figuresLine(other, other.currency)}
        </p>
      ))}
    </div>
  );
}

/** One link in the partner's list: what to share, where it goes, what it is for, and how it does. */
export function LinkCard({ link, performance }: { link: PartnerLinkView; performance?: LinkCardPerformance }) {
  const headingId = `link-${link.id}`;
  return (
    <li className="link-card">
      <div className="link-card__head">
        <h2 className="link-card__title" id={headingId}>
          <Link to={`/partner/links/${link.id}`}>{link.label}</Link>
        </h2>
        <LinkStateBadges status={link.status} fallbackReason={link.fallbackReason} />
      </div>
      <CopyField id={`short-url-${link.id}`} label="Short link" name={link.label} value={link.shortUrl} />
      <dl className="detail-list link-card__facts">
        <dt>Destination</dt>
        <dd className="break-all">{link.destinationUrl}</dd>
        <dt>Creative</dt>
        <dd>
          <LinkSource link={link} />
        </dd>
        <dt>Channel</dt>
        <dd>{labelOf(link.channel)}</dd>
      </dl>
      <div className="link-card__foot">
        <ClickCounts clicks={link.clicks} />
        {performance ? <LinkConversions performance={performance} /> : null}
        <LinkTools link={link} />
      </div>
    </li>
  );
}
