import { describe, expect, it } from "vitest";
import { platformAccess } from "./platform-access";

describe("platformAccess", () => {
  const admin = { isPlatformAdmin: true, mfaEnabled: true };
  it("grants a platform admin with MFA on the bare domain", () => {
    expect(platformAccess(null, admin)).toBe("granted");
  });
  it("explains every refusal", () => {
    expect(platformAccess("acme", admin)).toBe("tenant-host");
    expect(platformAccess(null, { isPlatformAdmin: false, mfaEnabled: true })).toBe("not-admin");
    expect(platformAccess(null, { isPlatformAdmin: true, mfaEnabled: false })).toBe("needs-mfa");
  });
});
