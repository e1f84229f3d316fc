/**
 * The customer survey's HTML pages (plugins/csat.ts): small, in the tenant's branding, no script at all. The one
 * inline style sheet is allowed by its hash in the page's own Content-Security-Policy, so nothing else styles or
 * runs on the page; the form posts to the same URL.
 */
import { createHash } from "node:crypto";
import { escapeHtml } from "@switchboard/jobs";
import type { SurveyBrand } from "@switchboard/trpc";

const fallbackColor = "#4f46e5";

function channel(hex: string, i: number): number {
  const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a #rrggbb colour. */
const luminance = (hex: string) => 0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2);
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/** The brand colour, and the text colour (white or near-black) that reads best on it. */
function colours(brand: SurveyBrand | null): { accent: string; onAccent: string } {
  const accent = brand && /^#[0-9a-fA-F]{6}$/.test(brand.primaryColor) ? brand.primaryColor : fallbackColor;
  const l = luminance(accent);
  return { accent, onAccent: contrast(l, 1) >= contrast(l, luminance("#18181b")) ? "#ffffff" : "#18181b" };
}

const ratings = [
  [1, "Very poor"],
  [2, "Poor"],
  [3, "Okay"],
  [4, "Good"],
  [5, "Excellent"],
] as const;

export interface SurveyForm {
  subject: string | null;
  /** What the customer sent, to show again with the problems. */
  rating?: string;
  comment?: string;
  problems?: string[];
}

/** The form: five labelled radio buttons in a fieldset, an optional comment, one button. */
export function formBody(brand: SurveyBrand, form: SurveyForm): string {
  const about = form.subject ? ` about “${escapeHtml(form.subject)}”` : "";
  const problems = form.problems?.length
    ? `<div class="problems" role="alert"><p>Please check your answer:</p><ul>${form.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul></div>`
    : "";
  const radios = ratings
    .map(
      ([value, label]) =>
        `<label class="rating"><input type="radio" name="rating" value="${value}" required${form.rating === String(value) ? " checked" : ""}> <span>${value} — ${label}</span></label>`,
    )
    .join("\n");
  return `<h1>How did we do?</h1>
<p>Please rate your conversation with ${escapeHtml(brand.name)}${about}.</p>
${problems}<form method="post">
<fieldset><legend>Your rating</legend>
${radios}
</fieldset>
<label for="comment">Anything you would like to add? (optional)</label>
<textarea id="comment" name="comment" rows="5" maxlength="2000">${escapeHtml(form.comment ?? "")}</textarea>
<button type="submit">Send my rating</button>
</form>`;
}

export const messages = {
  thanks: (brand: SurveyBrand, rating: number) =>
    `<h1>Thank you!</h1><p>Your rating of ${rating} out of 5 has reached ${escapeHtml(brand.name)}.</p>`,
  answered: (brand: SurveyBrand) =>
    `<h1>You have already rated this conversation</h1><p>Thank you: ${escapeHtml(brand.name)} has your answer. Each conversation can be rated once.</p>`,
  notFound: () =>
    "<h1>This survey link does not work</h1><p>It may be mistyped, or replaced by a newer one if the conversation was reopened. To tell us more, reply to the conversation.</p>",
  tooMany: () => "<h1>Too many requests</h1><p>Please wait a minute, then try again.</p>",
  crossSite: () => "<h1>This answer came from another site</h1><p>Please open the survey link from your mail again and answer there.</p>",
  unsupported: () => "<h1>This answer could not be read</h1><p>Please answer with the form on the survey page.</p>",
  tooLarge: () => "<h1>This answer is too long</h1><p>Please keep the comment to 2,000 characters and send it again.</p>",
  failed: () => "<h1>Something went wrong</h1><p>Your answer was not saved. Please try again in a moment.</p>",
};

function styles(accent: string, onAccent: string): string {
  return `body{margin:0;padding:24px 16px;background:#f4f4f5;color:#18181b;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:560px;margin:0 auto;background:#fff;border-radius:8px;border-top:4px solid ${accent};padding:24px 28px}
.brand{margin:0 0 8px;font-size:14px;color:#52525b}.logo{display:block;max-height:40px;margin:0 0 12px}
h1{font-size:22px;margin:0 0 12px}fieldset{border:1px solid #d4d4d8;border-radius:6px;margin:16px 0;padding:8px 16px 12px}
legend{font-weight:600;padding:0 4px}.rating{display:block;padding:6px 0}input[type=radio]{width:18px;height:18px;vertical-align:-3px}
label[for=comment]{display:block;font-weight:600;margin:8px 0 4px}
textarea{box-sizing:border-box;width:100%;font:inherit;border:1px solid #71717a;border-radius:6px;padding:8px}
button{margin-top:16px;padding:12px 20px;border:0;border-radius:6px;background:${accent};color:${onAccent};font:inherit;font-weight:600;cursor:pointer}
:focus-visible{outline:3px solid #18181b;outline-offset:2px}
.problems{border:1px solid #b91c1c;background:#fef2f2;color:#7f1d1d;border-radius:6px;padding:8px 16px;margin:12px 0}.problems p{margin:0}`;
}

/** A whole page and the Content-Security-Policy that lets exactly its style sheet in. */
export function page(brand: SurveyBrand | null, title: string, body: string): { html: string; csp: string } {
  const { accent, onAccent } = colours(brand);
  const css = styles(accent, onAccent);
  const hash = createHash("sha256").update(css).digest("base64");
  const name = brand ? escapeHtml(brand.name) : "Switchboard";
  const logo = brand?.logoUrl?.startsWith("https://") ? `<img class="logo" src="${escapeHtml(brand.logoUrl)}" alt="${name}">` : "";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><meta name="robots" content="noindex">
<title>${escapeHtml(title)} · ${name}</title><style>${css}</style></head>
<body><main>
${logo}<p class="brand">${name}</p>
${body}
</main></body></html>
`;
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${hash}'`,
    "img-src https:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
  return { html, csp };
}
