// The daily health snapshots' limits (decision 029, addendum): plain
// constants, so the report page can say them as well as the queries use them.

/**
 * Days of daily snapshots kept. A report's range is at most REPORT_MAX_DAYS
 * (731) long, so the end of its previous period is at most that far back,
 * plus the lookback: 800 keeps the previous year of any range.
 */
export const HEALTH_SNAPSHOT_RETENTION_DAYS = 800;

/**
 * How many days, the moment's own included, a partner's latest snapshot may
 * be from the moment and still stand for it: a few days without housekeeping
 * are bridged, a score from months before is never passed off as then.
 */
export const HEALTH_SNAPSHOT_LOOKBACK_DAYS = 7;
