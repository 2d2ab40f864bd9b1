import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { AUDIT_READER_ROLES } from "~/domain/accounts/roles";
import { listAuditEvents, listAuditFilterOptions } from "~/domain/audit/events.server";
import { auditFiltersFrom } from "~/domain/audit/schemas.server";
import { lastAuditVerification, verifyAndRecordAuditTrail } from "~/domain/audit/verification.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { AUDIT_SUBJECT_KINDS, auditActionsByArea } from "~/lib/audit-actions";
import { actorOf, requireInternalUser, safeRedirect } from "~/lib/guards.server";
import { AuditDetails } from "~/components/audit-details";
import { formatDateTime } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { Alert, Button, ButtonLink, Card, DataTable, DownloadIcon, EmptyState, Field, PageHeader, SearchIcon, SelectField, ShieldIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Audit trail" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const reader = await requireInternalUser(context, request, AUDIT_READER_ROLES);
  const filters = auditFiltersFrom(request);
  const [events, organisations, lastCheck] = await Promise.all([
    listAuditEvents(context.app.db, filters, pageNumberFrom(request), reader.role),
    listAuditFilterOptions(context.app.db),
    lastAuditVerification(context.app.db),
  ]);
  // Only the filters that were understood go to the CSV link, so the file matches the page.
  const filterQuery = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();
  return { ...events, filters, filterQuery, organisations, lastCheck };
}

/**
 * Verifying is a POST: it records who checked, when and what was found (the
 * "Last checked" line and an audit.verified event). Back to the same filtered
 * page afterwards, so a reload does not verify again.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireInternalUser(context, request, AUDIT_READER_ROLES);
  await verifyAndRecordAuditTrail(context.app, { ...actorOf(user, context), name: user.name });
  const url = new URL(request.url);
  return redirect(safeRedirect(`${url.pathname}${url.search}`, "/admin/audit"), 303);
}

const ACTION_GROUPS = auditActionsByArea().map((group) => ({ label: group.label, options: group.actions.map((a) => ({ value: a.action, label: a.label })) }));
const SUBJECT_OPTIONS = Object.entries(AUDIT_SUBJECT_KINDS).map(([value, label]) => ({ value, label }));

function LastCheck({ check }: { check: ReturnType<typeof useLoaderData<typeof loader>>["lastCheck"] }) {
  if (!check) {
    return (
      <Alert tone="info" live={false} title="Not verified yet">
        Verify the chain of entries and the newest checkpoint kept outside the database. The result and the time are recorded here.
      </Alert>
    );
  }
  const who = check.by.name ?? check.by.label;
  const { chain, checkpoint } = check;
  return (
    <Alert
      tone={check.ok ? "success" : "danger"}
      live={false}
      title={`Last checked ${formatDateTime(check.checkedAt)} by ${who}: ${check.ok ? "intact" : "broken"}`}
    >
      <p>
        {chain.ok
          ? `The chain is intact: all ${chain.checked} entries matched their hashes.${chain.unkeyed ? ` The first ${chain.unkeyed} were written before the chain was keyed and are checked with plain SHA-256.` : ""}`
          : `The chain is broken at entry #${chain.brokenId}: ${chain.reason}. The ${chain.checked} entries before it are intact.`}
      </p>
      <p>
        {checkpoint.status === "ok"
          ? `The newest checkpoint matches: ${checkpoint.rowCount} entries ending at #${checkpoint.headId}, recorded ${formatDateTime(checkpoint.writtenAt ?? check.checkedAt)}.`
          : checkpoint.status === "failed"
            ? `The chain does not match its checkpoint: ${checkpoint.reason}.`
            : "No checkpoint yet: checkpoints are written every hour, on shutdown and by npm run audit:verify."}
      </p>
    </Alert>
  );
}

export default function AuditRoute() {
  const { rows, page, pageCount, total, filters, filterQuery, organisations, lastCheck } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const verifying = navigation.state !== "idle" && navigation.formMethod === "POST";
  const filtered = filterQuery !== "";
  const reversedRange = Boolean(filters.from && filters.to && filters.from > filters.to);
  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every state change, sign-in, download, decision and export, append-only. Each entry is chained to the one before by a keyed hash, and checkpoints of the chain are kept in file storage, so an edited or removed entry is detected."
        actions={
          <>
            <ButtonLink to={`/admin/audit.csv${filtered ? `?${filterQuery}` : ""}`} reloadDocument variant="secondary" icon={<DownloadIcon />}>
              Export CSV
            </ButtonLink>
            <Form method="post">
              <Button type="submit" variant="primary" icon={<ShieldIcon />} pending={verifying} pendingText="Verifying…">
                Verify integrity
              </Button>
            </Form>
          </>
        }
      />
      <LastCheck check={lastCheck} />
      <Card>
        {/* Keyed by the query so "Clear filters" and paging reset what the fields show. */}
        <Form key={filterQuery} method="get" className="audit-filters" role="search" aria-label="Filter the audit trail">
          <Field label="Actor" name="actor" type="search" defaultValue={filters.actor ?? ""} placeholder="Name or email" />
          <SelectField
            label="Action"
            name="action"
            options={[{ value: "", label: "All actions" }]}
            groups={ACTION_GROUPS}
            defaultValue={filters.action ?? ""}
          />
          <SelectField
            label="Subject"
            name="subject"
            options={[{ value: "", label: "All subjects" }, ...SUBJECT_OPTIONS]}
            defaultValue={filters.subject ?? ""}
          />
          <SelectField
            label="Partner"
            name="partner"
            options={[{ value: "", label: "All partners" }, ...organisations.map((o) => ({ value: o.id, label: o.name }))]}
            defaultValue={filters.partner ?? ""}
          />
          <Field label="From" name="from" type="date" defaultValue={filters.from ?? ""} />
          <Field label="To" name="to" type="date" defaultValue={filters.to ?? ""} />
          <div className="audit-filters__actions">
            <Button type="submit" variant="secondary" icon={<SearchIcon />}>
              Apply filters
            </Button>
            {filtered ? <Link to="/admin/audit">Clear filters</Link> : null}
          </div>
          <p className="audit-filters__note muted small">Dates are whole days in UTC, both included.</p>
        </Form>
      </Card>
      {reversedRange ? (
        <Alert tone="warning" live={false} title="The date range is reversed">
          “From” is after “To”, so no entry can match. Swap the dates to see that period.
        </Alert>
      ) : null}
      <Card flush>
        <DataTable
          caption={`${total} ${total === 1 ? "entry" : "entries"}${filtered ? " matching the filters" : ""}, newest first`}
          columns={[
            { key: "when", header: "When" },
            { key: "action", header: "Action" },
            { key: "actor", header: "Actor" },
            { key: "subject", header: "Subject" },
            { key: "partner", header: "Partner" },
            { key: "details", header: "Details" },
          ]}
          rows={rows}
          getRowKey={(r) => String(r.id)}
          empty={
            filtered ? (
              <EmptyState
                headingLevel={2}
                icon={<SearchIcon />}
                title="No entries match"
                description="Widen the date range or clear a filter."
                action={<Link to="/admin/audit">Clear filters</Link>}
              />
            ) : (
              <EmptyState headingLevel={2} icon={<ShieldIcon />} title="Nothing recorded yet" />
            )
          }
          renderCell={(r, key) => {
            switch (key) {
              case "when":
                return (
                  <div>
                    <div className="audit-when">{formatDateTime(r.occurredAt)}</div>
                    <div className="muted small">#{r.id}</div>
                  </div>
                );
              case "action":
                return r.actionLabel === r.action ? <code>{r.action}</code> : r.actionLabel;
              case "actor":
                return (
                  <div className="audit-party">
                    <div>{r.actor.href ? <Link to={r.actor.href}>{r.actor.name ?? r.actor.label}</Link> : (r.actor.name ?? r.actor.label)}</div>
                    {r.actor.name ? <div className="muted small">{r.actor.label}</div> : null}
                    {r.actor.ip ? <div className="muted small">{r.actor.ip}</div> : null}
                  </div>
                );
              case "subject":
                return (
                  <div className="audit-party">
                    <div className="muted small">{r.subject.kind}</div>
                    {r.subject.href ? <Link to={r.subject.href}>{r.subject.name ?? r.subject.kind}</Link> : r.subject.name ? <div>{r.subject.name}</div> : null}
                  </div>
                );
              case "partner":
                return r.partner ? <Link to={r.partner.href}>{r.partner.name}</Link> : null;
              case "details":
                return <AuditDetails details={r.details} />;
              default:
                return null;
            }
          }}
        />
        <Pagination page={page} pageCount={pageCount} />
      </Card>
    </>
  );
}
