export * from "./policies";
export * from "./users";
export * from "./tenants";
export * from "./invitations";
export * from "./api-keys";
export * from "./audit";
export * from "./email-outbox";
export * from "./limits";
