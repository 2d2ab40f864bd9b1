import { Badge } from "./ui";

const LABELS = {
  pending: { tone: "warning", label: "Waiting" },
  sending: { tone: "info", label: "Sending" },
  sent: { tone: "success", label: "Sent" },
  kept: { tone: "info", label: "Kept" },
  dead: { tone: "danger", label: "Failed" },
} as const;

export function OutboxStatusBadge({ status, attempts }: { status: keyof typeof LABELS; attempts: number }) {
  const { tone, label } = LABELS[status];
  return <Badge tone={tone}>{status === "pending" && attempts > 0 ? `Retrying (${attempts} tried)` : label}</Badge>;
}
