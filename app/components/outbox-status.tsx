import { Badge } from "./ui";
import { formatDateTime } from "./format";

type OutboxStatus = "pending" | "sending" | "sent" | "kept" | "dead";

// One status per message, worded for what happened to it. A kept message was
// never delivered anywhere: it waits here because no SMTP server is set up.
const STATUSES = {
  pending: { tone: "warning", label: "Waiting" },
  sending: { tone: "info", label: "Sending" },
  sent: { tone: "success", label: "Delivered" },
  kept: { tone: "info", label: "Kept (no SMTP configured)" },
  dead: { tone: "danger", label: "Failed" },
} as const;

export function OutboxStatusBadge({ status, attempts }: { status: OutboxStatus; attempts: number }) {
  const { tone, label } = STATUSES[status];
  return <Badge tone={tone}>{status === "pending" && attempts > 0 ? `Retrying (${attempts} tried)` : label}</Badge>;
}

/** The message's status and when it reached it, as rows of a details list. */
export function OutboxStatusDetails({ status, attempts, finishedAt }: { status: OutboxStatus; attempts: number; finishedAt: Date | string | null }) {
  return (
    <>
      <dt>Status</dt>
      <dd>
        <OutboxStatusBadge status={status} attempts={attempts} />
        {finishedAt && (status === "sent" || status === "kept") ? ` ${formatDateTime(finishedAt)}` : null}
      </dd>
    </>
  );
}
