// Shared with the browser bundle.

/** Where a partner with policies to accept is sent (by the partner guard), and comes back from. */
export const POLICIES_PATH = "/partner/policies";
