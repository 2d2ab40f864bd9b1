export * from "./auth";
export * from "./partners";
export * from "./audit";
export * from "./outbox";
export * from "./settings";
export * from "./applications";
export * from "./policies";
export * from "./claims";
