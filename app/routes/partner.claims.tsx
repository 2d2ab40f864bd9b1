import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSubmit } from "@remix-run/react";
import { useState } from "react";
import { CHANNELS, labelOf, REGIONS } from "~/domain/applications/catalog";
import { claimWithDisclaimers } from "~/domain/claims/catalog";
import { listClaimsForPartner } from "~/domain/claims/claims.server";
import { PartnerClaimFiltersSchema } from "~/domain/claims/schemas.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { formatDate } from "~/components/format";
import { Button, ButtonLink, Card, DownloadIcon, EmptyState, Field, FileIcon, PageHeader, SelectField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Claims library" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const params = new URL(request.url).searchParams;
  const filters = PartnerClaimFiltersSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
  const filtered = Object.values(filters).some(Boolean);
  const { claims, organisation } = await mapDomainErrors(listClaimsForPartner(context.app, user.partnerOrgId, filters), { context, request });
  // The category filter offers only categories of claims this partner can see at all.
  const visible = filtered ? (await listClaimsForPartner(context.app, user.partnerOrgId)).claims : claims;
  const categories = [...new Set(visible.map((c) => c.category))].sort();
  return { claims, filters, categories, channels: organisation.channels, regions: organisation.regions, filtered };
}

export default function PartnerClaimsRoute() {
  const { claims, filters, categories, channels, regions, filtered } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const csvHref = `/partner/claims.csv?${new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => Boolean(e[1])))}`;
  return (
    <>
      <PageHeader
        title="Claims library"
        description="What you may say about the products, approved by the brand's legal team. Always use a claim together with its disclaimers: copying takes both."
        actions={
          <ButtonLink to={csvHref} reloadDocument variant="secondary" icon={<DownloadIcon />}>
            Download CSV
          </ButtonLink>
        }
      />
      <Card>
        <Form
          method="get"
          className="filter-bar"
          role="search"
          aria-label="Filter claims"
          onChange={(event) => submit(event.currentTarget, { replace: true, preventScrollReset: true })}
        >
          <Field label="Search" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Search claims" />
          <SelectField
            label="Category"
            name="category"
            options={[{ value: "", label: "All categories" }, ...categories.map((c) => ({ value: c, label: c }))]}
            defaultValue={filters.category ?? ""}
          />
          <SelectField
            label="Channel"
            name="channel"
            options={[{ value: "", label: "All your channels" }, ...CHANNELS.filter((c) => channels.includes(c.value))]}
            defaultValue={filters.channel ?? ""}
          />
          <SelectField
            label="Region"
            name="region"
            options={[{ value: "", label: "All your regions" }, ...REGIONS.filter((r) => regions.includes(r.value))]}
            defaultValue={filters.region ?? ""}
          />
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </Form>
      </Card>
      {claims.length === 0 ? (
        <Card>
          <EmptyState
            icon={<FileIcon />}
            title={filtered ? "No claims match" : "No claims for your channels yet"}
            description={filtered ? "Try fewer filters." : "The brand has not approved claims for the channels and regions you work in. Check back later."}
          />
        </Card>
      ) : (
        <section className="claim-list" aria-label={`${claims.length} claims`}>
          {claims.map((claim) => (
            <ClaimCard key={claim.id} claim={claim} />
          ))}
        </section>
      )}
    </>
  );
}

type PartnerClaim = { id: string; text: string; disclaimers: string[]; category: string; channels: string[]; regions: string[]; expiresOn: string | null };

function ClaimCard({ claim }: { claim: PartnerClaim }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(claimWithDisclaimers(claim));
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <article className="claim" aria-labelledby={`claim-${claim.id}`}>
      <p className="claim__text" id={`claim-${claim.id}`}>
        {claim.text}
      </p>
      <ul className="claim__disclaimers" aria-label="Required disclaimers">
        {claim.disclaimers.map((d, i) => (
          <li key={i}>{d}</li>
        ))}
      </ul>
      <div className="claim__footer">
        <span className="muted small">
          {claim.category} · {claim.channels.map(labelOf).join(", ")} · {claim.regions.map(labelOf).join(", ")}
          {claim.expiresOn ? ` · until ${formatDate(claim.expiresOn)}` : ""}
        </span>
        <div className="cluster cluster--sm">
          <span role="status" className="small">
            {copied === "copied" ? "Copied with its disclaimers" : copied === "failed" ? "Copying failed: select the text instead" : ""}
          </span>
          <Button type="button" size="sm" variant="secondary" onClick={copy} aria-label={`Copy claim with disclaimers: ${claim.text}`}>
            Copy
          </Button>
        </div>
      </div>
    </article>
  );
}
