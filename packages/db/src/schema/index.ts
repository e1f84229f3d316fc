export * from "./policies";
export * from "./users";
export * from "./tenants";
