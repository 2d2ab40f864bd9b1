import type { ReactNode } from "react";
import { formatDateTime } from "./format";
import { IntentButton } from "./intent-button";
import { Card, DataTable } from "./ui";

type OpenInvitation = { id: string; email: string; createdAt: Date | string; expiresAt: Date | string };

/**
 * Open invitations with Resend and Withdraw buttons, for the brand's team page
 * and a partner owner's. `detail` adds a column (the brand team's role).
 */
export function OpenInvitationsCard<T extends OpenInvitation>({
  invitations,
  intents,
  detail,
}: {
  invitations: T[];
  intents: { resend: string; revoke: string };
  detail?: { header: string; render: (invitation: T) => ReactNode };
}) {
  return (
    <Card title="Open invitations" flush={invitations.length > 0}>
      <DataTable
        caption="Open invitations"
        captionHidden
        columns={[
          { key: "email", header: "Email", rowHeader: true },
          ...(detail ? [{ key: "detail", header: detail.header }] : []),
          { key: "sent", header: "Sent" },
          { key: "expires", header: "Expires" },
          { key: "actions", header: <span className="visually-hidden">Actions</span>, align: "right" as const },
        ]}
        rows={invitations}
        getRowKey={(i) => i.id}
        empty={<p className="muted">No open invitations.</p>}
        renderCell={(i, key) => {
          switch (key) {
            case "email":
              return i.email;
            case "detail":
              return detail?.render(i) ?? null;
            case "sent":
              return formatDateTime(i.createdAt);
            case "expires":
              return formatDateTime(i.expiresAt);
            case "actions":
              return (
                <div className="cluster cluster--end">
                  <IntentButton
                    intent={intents.resend}
                    fields={{ invitationId: i.id }}
                    size="sm"
                    variant="secondary"
                    aria-label={`Resend the invitation to ${i.email}`}
                  >
                    Resend
                  </IntentButton>
                  <IntentButton
                    intent={intents.revoke}
                    fields={{ invitationId: i.id }}
                    size="sm"
                    variant="ghost"
                    aria-label={`Withdraw the invitation to ${i.email}`}
                  >
                    Withdraw
                  </IntentButton>
                </div>
              );
            default:
              return null;
          }
        }}
      />
    </Card>
  );
}
