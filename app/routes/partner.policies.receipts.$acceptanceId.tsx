import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { idParam } from "~/lib/forms.server";
import { getAcceptanceReceipt } from "~/domain/policies/acceptance.server";
import { POLICIES_PATH } from "~/domain/policies/catalog";
import { renderPolicyMarkdown } from "~/domain/policies/policies.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";
import { formatDateTime } from "~/components/format";
import { PolicyText } from "~/components/policy-parts";
import { Button, Card, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Receipt: ${data.receipt.policyTitle} v${data.receipt.number}` : "Receipt" }];

// Open while gated: the receipts are part of the policy pages.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "open");
  const id = idParam(params, "acceptanceId");
  // Scoped by the session's organisation: another organisation's receipt is not found.
  const receipt = await getAcceptanceReceipt(context.app.db, user.partnerOrgId, id);
  if (!receipt) notFound();
  const { body, policyVersionId: _version, ...fields } = receipt;
  return { receipt: fields, html: renderPolicyMarkdown(body) };
}

export default function ReceiptRoute() {
  const { receipt, html } = useLoaderData<typeof loader>();
  const rows: [string, string][] = [
    ["Policy", `${receipt.policyTitle}, version ${receipt.number}`],
    ["Published", formatDateTime(receipt.publishedAt!)],
    ["Accepted by", `${receipt.userName} <${receipt.userEmail}>`],
    ["On behalf of", receipt.organisationName],
    ["Accepted at", formatDateTime(receipt.acceptedAt)],
    ["IP address", receipt.ipAddress ?? "Not recorded"],
    ["Browser", receipt.userAgent ?? "Not recorded"],
    ["Text fingerprint (SHA-256)", receipt.contentHash],
    ["Receipt number", receipt.id],
  ];
  return (
    <div className="receipt stack stack--lg">
      <PageHeader
        title="Acceptance receipt"
        breadcrumbs={[{ to: POLICIES_PATH, label: "Policies" }]}
        description="A record of one person's acceptance of one version of a policy."
        actions={
          <Button type="button" onClick={() => window.print()} className="no-print">
            Print
          </Button>
        }
      />
      <Card>
        <dl className="receipt__fields">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
      <Card title="The text accepted">
        <PolicyText html={html} />
      </Card>
    </div>
  );
}
