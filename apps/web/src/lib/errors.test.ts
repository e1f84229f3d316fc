import { describe, expect, it } from "vitest";
import { errorMessage, formErrors, isClientError, isMfaRequired, isUnauthorized } from "./errors";

const validation = {
  message: "Invalid input: password: Use at least 10 characters",
  data: {
    code: "BAD_REQUEST",
    httpStatus: 400,
    issues: [
      { path: "password", message: "Use at least 10 characters" },
      { path: "password", message: "second message is dropped" },
      { path: "", message: "Unrecognized key: extra" },
    ],
  },
};

describe("formErrors", () => {
  it("maps issues to the form's fields and keeps the rest for the form", () => {
    expect(formErrors(validation, ["email", "password"] as const)).toEqual({
      fields: { password: "Use at least 10 characters" },
      form: "Unrecognized key: extra",
    });
  });

  it("uses the message of errors that are not about fields", () => {
    const conflict = { message: "This email is already registered", data: { code: "CONFLICT", httpStatus: 409 } };
    expect(formErrors(conflict, ["email"] as const)).toEqual({ fields: {}, form: "This email is already registered" });
    expect(formErrors(null, ["email"] as const)).toEqual({ fields: {}, form: null });
  });
});

describe("error kinds", () => {
  it("tells 401s, 4xx and network failures apart", () => {
    const unauthorized = { message: "Sign in first", data: { code: "UNAUTHORIZED", httpStatus: 401 } };
    expect(isUnauthorized(unauthorized)).toBe(true);
    expect(isClientError(unauthorized)).toBe(true);
    expect(isClientError({ data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 } })).toBe(false);
    expect(errorMessage(new TypeError("Failed to fetch"))).toMatch(/Could not reach/);
  });
});

describe("isMfaRequired", () => {
  it("recognises a tenant's refusal of members without two-factor authentication", () => {
    const refusal = { message: "This tenant requires two-factor authentication", data: { code: "FORBIDDEN", httpStatus: 403 } };
    expect(isMfaRequired(refusal)).toBe(true);
    expect(isMfaRequired({ message: "You are not a member of this tenant", data: { code: "FORBIDDEN", httpStatus: 403 } })).toBe(false);
    expect(isMfaRequired({ message: "This tenant requires two-factor authentication", data: { code: "BAD_REQUEST" } })).toBe(false);
    expect(isMfaRequired(null)).toBe(false);
  });
});
