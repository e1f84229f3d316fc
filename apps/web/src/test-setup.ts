// Component tests: async queries (findBy…, waitFor) wait up to 5 s instead of 1 s. Some screens finish rendering
// after an async step (the MFA dialog draws its QR code with `qrcode`), which a loaded CI machine can slow past 1 s.
import { configure } from "@testing-library/react";

configure({ asyncUtilTimeout: 5_000 });
