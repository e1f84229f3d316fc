/**
 * Reading the API's errors. Validation errors carry `data.issues: [{ path, message }]` (the server's
 * errorFormatter); everything else has a code and a message meant for people.
 */
export interface Issue {
  path: string;
  message: string;
}

interface ErrorShape {
  message?: unknown;
  data?: { code?: unknown; httpStatus?: unknown; issues?: unknown } | null;
}

function shape(error: unknown): ErrorShape | null {
  return typeof error === "object" && error !== null ? (error as ErrorShape) : null;
}

/** The tRPC error code (`UNAUTHORIZED`, `CONFLICT`, …), or null for a network or unknown error. */
export function errorCode(error: unknown): string | null {
  const code = shape(error)?.data?.code;
  return typeof code === "string" ? code : null;
}

export function isUnauthorized(error: unknown): boolean {
  return errorCode(error) === "UNAUTHORIZED";
}

/** 4xx answers: retrying them gives the same answer. */
export function isClientError(error: unknown): boolean {
  const status = shape(error)?.data?.httpStatus;
  return typeof status === "number" && status >= 400 && status < 500;
}

function issues(error: unknown): Issue[] {
  const list = shape(error)?.data?.issues;
  if (!Array.isArray(list)) return [];
  return (list as unknown[]).filter(isIssue);
}

function isIssue(i: unknown): i is Issue {
  return typeof i === "object" && i !== null && "path" in i && typeof i.path === "string" && "message" in i && typeof i.message === "string";
}

/**
 * Splits an error into messages for the form's fields (first message per field) and one message for the form.
 * Issues on fields the form does not show, and non-validation errors, become the form message.
 */
export function formErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
): { fields: Partial<Record<F, string>>; form: string | null } {
  if (!error) return { fields: {}, form: null };
  const byField: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  for (const issue of issues(error)) {
    const field = fields.find((f) => f === issue.path);
    if (field && !byField[field]) byField[field] = issue.message;
    else if (!field) rest.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  if (Object.keys(byField).length > 0 || rest.length > 0) return { fields: byField, form: rest.length ? rest.join("; ") : null };
  return { fields: {}, form: errorMessage(error) };
}

/** A sentence for people. */
export function errorMessage(error: unknown): string {
  const message = shape(error)?.message;
  if (errorCode(error) === null) {
    // fetch failed, or the server answered something that is not tRPC JSON
    return "Could not reach Switchboard. Check your connection and try again.";
  }
  return typeof message === "string" && message ? message : "Something went wrong";
}

/**
 * A tenant with `security.requireMfa` refusing a member without two-factor authentication (CONTRACT.md "Roles":
 * FORBIDDEN, "This tenant requires two-factor authentication"). The message is the contract's; nothing else marks it.
 */
export function isMfaRequired(error: unknown): boolean {
  const message = shape(error)?.message;
  return errorCode(error) === "FORBIDDEN" && typeof message === "string" && /requires two-factor authentication/i.test(message);
}
