export * from "./policies";
export * from "./users";
export * from "./tenants";
export * from "./agents";
export * from "./calls";
export * from "./leads";
export * from "./engagements";
