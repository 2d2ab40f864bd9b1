import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EVERGREEN_CAMPAIGN, FALLBACK_REASON_LABELS, SHORT_LINK_PREFIX, TEST_CLICK_PARAM } from "~/domain/links/catalog";
import { linkConventionFor } from "~/domain/links/partner-links.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { Card, DataTable, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "How links work · Links" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  return mapDomainErrors(linkConventionFor(context.app.db, user.partnerOrgId), { context, request });
}

/** The convention's parameters, with this partner's own values where they are known. */
function parametersOf(slug: string, clickIdParam: string) {
  return [
    { name: "utm_source", value: "Your partner code", example: slug },
    { name: "utm_medium", value: "The channel the link is for", example: "website_blog" },
    {
      name: "utm_campaign",
      value: `The creative (its title in lower case with dashes), or ${EVERGREEN_CAMPAIGN} for an evergreen link`,
      example: "spring-living-room",
    },
    { name: "utm_content", value: "The creative and its version; for an evergreen link, its name", example: "spring-living-room-v2" },
    { name: clickIdParam, value: "A click id: new for every click, it ties a sale to the click that brought it", example: "7Hq2mZ0pXc4r" },
  ];
}

export default function LinksHelpRoute() {
  const { slug, clickIdParam, hasFallbackPage } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="How links work"
        breadcrumbs={[{ to: "/partner/links", label: "Links" }]}
        description="What your short links add to the brand's pages, what they never pass on, and where they send visitors when something is wrong."
      />
      <article className="stack stack--lg help-page">
        <Card title="Where your links come from" headingLevel={2}>
          <ul className="help-list">
            <li>
              <strong>Creative links.</strong> When the brand approves a version of your creative, it issues a link to that version&rsquo;s destination. A new
              approved version gets a new link, so each version&rsquo;s clicks stay apart.
            </li>
            <li>
              <strong>Evergreen links.</strong> You make them yourself on <Link to="/partner/links/new">New evergreen link</Link>, to a page on a domain the
              brand allows, for places a creative does not fit: your bio, a newsletter footer. Your tier sets how many you may have.
            </li>
            <li>
              Every link is a short address, <code>{SHORT_LINK_PREFIX}</code> and a code, that sends the visitor on to its destination.
            </li>
          </ul>
        </Card>

        <Card
          title="What every link adds"
          headingLevel={2}
          description="The brand reads these to credit your visits and sales; they are set for you and cannot be changed."
        >
          <div className="stack">
            <DataTable
              caption="Parameters added to every destination"
              captionHidden
              columns={[
                { key: "name", header: "Parameter", rowHeader: true },
                { key: "value", header: "Value" },
                { key: "example", header: "Yours, for example" },
              ]}
              rows={parametersOf(slug, clickIdParam)}
              getRowKey={(p) => p.name}
              renderCell={(p, key) => (key === "value" ? p.value : <code>{key === "name" ? p.name : p.example}</code>)}
            />
            <p>
              Values fixed when the link is made stay as they are, so renaming a creative later never splits its figures. If the destination already has
              parameters of these names, the link&rsquo;s own replace them; every other part of the destination is kept.
            </p>
          </div>
        </Card>

        <Card title="What visitors add is never passed on" headingLevel={2}>
          <p>
            Anything added to a short link after a question mark, such as <code>?utm_source=other</code> or <code>?url=…</code>, is ignored: it never reaches
            the destination and never changes where the link goes. Nobody can reuse your link to send people elsewhere or to take your credit.
          </p>
        </Card>

        <Card title="When visitors go to the fallback page" headingLevel={2}>
          <div className="stack">
            <p>
              Every click is checked as it happens. The destination&rsquo;s domain must still be on the brand&rsquo;s list of allowed domains at that moment,
              not only when the link was made. Visitors go to {hasFallbackPage ? "the program's fallback page" : "the program's home page"} instead of the
              destination when:
            </p>
            <ul className="help-list">
              <li>{FALLBACK_REASON_LABELS.link_disabled}: the program disabled the link (its page says why).</li>
              <li>{FALLBACK_REASON_LABELS.partner_paused}, or the partnership ended: every link of yours goes there.</li>
              <li>{FALLBACK_REASON_LABELS.approval_revoked}: the links of that creative go there.</li>
              <li>{FALLBACK_REASON_LABELS.host_not_allowed}: the brand removed the domain from its list.</li>
            </ul>
            <p>Your list of links shows which of them are in that state, and why.</p>
          </div>
        </Card>

        <Card title="What counts as a click" headingLevel={2}>
          <ul className="help-list">
            <li>
              <strong>Clicks</strong> are people. Bots, link previews (chat apps, social cards) and prefetches are recorded but kept apart, as the bot share.
            </li>
            <li>
              <strong>Unique clicks</strong> count each visitor once per link and day. No address of theirs is stored: only a code that changes every day.
            </li>
            <li>
              <strong>Test clicks</strong> (“Send a test click”, which adds <code>{TEST_CLICK_PARAM}</code> to the link) show you where a link goes and are
              never counted.
            </li>
            <li>Figures update within seconds of a click. Your first real visitor&rsquo;s click ticks &ldquo;First link live&rdquo; on your home page.</li>
          </ul>
        </Card>
      </article>
    </>
  );
}
