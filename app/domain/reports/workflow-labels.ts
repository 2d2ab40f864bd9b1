// What the workflow report's measures are called, shared by its page and its
// CSV (a plain module: the page's bundle reads it, the server's CSV too).

export const TRACKING_VALIDATED_LABEL = "Tracking validated before go-live";
export const PRESCREEN_FIRST_TIME_LABEL = "Passed the pre-screen first time";
