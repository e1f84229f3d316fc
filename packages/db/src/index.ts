export * from "./client";
export * from "./with-tenant";
export * from "./migrate";
export * from "./roles";
export * from "./seed";
export * from "./tenant-defaults";
export * from "./schema/index";
export * from "./generate";
