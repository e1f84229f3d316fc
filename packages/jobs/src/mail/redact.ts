/**
 * What the outbox keeps once a mail is sent: the same text with every secret a URL can carry removed: query
 * values, fragments, and path segments that look like tokens (16+ URL-safe characters). Works on plain text and
 * on HTML (where `&` is written `&amp;`). A support engineer still sees which link was sent, never a live one.
 */
const urlPattern = /https?:\/\/[^\s"'<>]+/g;
const tokenSegment = /^[A-Za-z0-9_~.%-]{16,}$/;
export const redactedMark = "[redacted]";

function redactUrl(url: string): string {
  const [, origin = url, path = "", query, fragment] = /^(https?:\/\/[^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/.exec(url) ?? [];
  const safePath = path
    .split("/")
    .map((s) => (tokenSegment.test(s) ? redactedMark : s))
    .join("/");
  const safeQuery =
    query === undefined
      ? ""
      : `?${query
          .split(/(&amp;|&)/)
          .map((part, i) => (i % 2 === 1 || part === "" ? part : part.includes("=") ? `${part.slice(0, part.indexOf("="))}=${redactedMark}` : redactedMark))
          .join("")}`;
  return `${origin}${safePath}${safeQuery}${fragment === undefined ? "" : `#${redactedMark}`}`;
}

export function redactLinks(body: string): string {
  return body.replace(urlPattern, redactUrl);
}
