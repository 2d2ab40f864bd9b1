// Shared with the browser bundle: a row of the review queue. `D` is how a
// date arrives: a Date on the server, an ISO string once the loader's data
// has crossed to the browser.
import type { ReviewStageName } from "./matrix";

type CreativeColumns = {
  creativeId: string;
  title: string;
  channel: string;
  placement: string;
  status: string;
  partnerName: string;
  partnerTier: string;
  versionNumber: number;
  warnings: number;
};

export type OpenStageRow<D = Date> = CreativeColumns & {
  kind: "stage";
  stageId: string;
  stage: ReviewStageName;
  confirmsVersion: number | null;
  dueAt: D | null;
  assigneeId: string | null;
  assigneeName: string | null;
  /** Unassigned and the viewer's role may take this stage: the row offers "Claim". */
  canClaim: boolean;
  due: { text: string; overdue: boolean } | null;
};

export type DecidedRow<D = Date> = CreativeColumns & { kind: "decided"; decidedAt: D | null };

export type QueueRow<D = Date> = OpenStageRow<D> | DecidedRow<D>;
