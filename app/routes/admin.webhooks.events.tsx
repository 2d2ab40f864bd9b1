import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { WEBHOOK_MANAGER_ROLES } from "~/domain/accounts/roles";
import { familyWildcard, WEBHOOK_EVENTS, WEBHOOK_TEST_EVENT, webhookEventsByFamily } from "~/domain/webhooks/catalog";
import { requireInternalUser } from "~/lib/guards.server";
import { CodeBlock, WEBHOOKS_PATH } from "~/components/webhook-parts";
import { Card, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Event catalogue · Webhooks" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, WEBHOOK_MANAGER_ROLES);
  return null;
}

const ENVELOPE = `POST /your/path HTTP/1.1
content-type: application/json
user-agent: Cobrand-Webhooks/1
webhook-id: msg_2cS8mU0pQy3oVb1kX7rT9w
webhook-timestamp: 1777887000
webhook-signature: v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=

{"type":"partner.paused","timestamp":"2026-05-04T09:30:00.000Z","data":{…}}`;

/** Every event an endpoint can subscribe to, with its meaning and an example of its data; and how requests are signed. */
export default function WebhookEventsRoute() {
  return (
    <>
      <PageHeader
        title="Event catalogue"
        breadcrumbs={[{ to: WEBHOOKS_PATH, label: "Webhooks" }]}
        description="What each event means and the data it carries. Subscribe to single events or to a whole family (application.*, partner.*…), which includes events added later."
      />
      <Card title="Requests and signatures">
        <div className="stack">
          <p>
            Each event is a POST of JSON with <code>type</code>, <code>timestamp</code> and <code>data</code>, signed per{" "}
            <a href="https://www.standardwebhooks.com/" rel="noreferrer">
              Standard Webhooks
            </a>
            : verify <code>webhook-signature</code> with the endpoint&apos;s secret (any Standard Webhooks library does it), reject old timestamps, and use{" "}
            <code>webhook-id</code> to ignore a repeat. Answer with a 2xx within 10 seconds; anything else is retried with growing delays for about an hour, and
            an endpoint whose deliveries keep failing is disabled and the admins emailed. Redirects are not followed.
          </p>
          <CodeBlock label="An example request">{ENVELOPE}</CodeBlock>
          <p className="muted small">
            <code>{WEBHOOK_TEST_EVENT}</code> is sent only by the &ldquo;Send test event&rdquo; button, to that endpoint alone.
          </p>
        </div>
      </Card>
      {webhookEventsByFamily().map((group) => (
        <Card key={group.family} title={group.label} description={`Subscribe to all of them with ${familyWildcard(group.family)}.`}>
          <div className="stack">
            {group.events.map((event) => (
              <section key={event.type} className="stack stack--xs" aria-labelledby={`event-${event.type}`}>
                <h3 id={`event-${event.type}`} className="small">
                  <code>{event.type}</code>
                </h3>
                <p>{event.description}</p>
                <CodeBlock label={`Example data of ${event.type}`}>{JSON.stringify(WEBHOOK_EVENTS[event.type].example, null, 2)}</CodeBlock>
              </section>
            ))}
          </div>
        </Card>
      ))}
    </>
  );
}
