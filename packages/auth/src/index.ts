export * from "./common-passwords";
export * from "./crypto";
export * from "./password";
export * from "./platform-admins";
export * from "./sessions";
export * from "./tokens";
export * from "./totp";
