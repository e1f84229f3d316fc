/**
 * The development mail catcher that `pnpm start` and `pnpm dev` run when SMTP_URL is unset: SMTP on
 * MAIL_SMTP_PORT (1025), its web page and REST API (`GET /email`) on MAIL_UI_PORT (1080), both on loopback.
 * Run as a program, it prints one JSON line `{ "smtpUrl", "uiUrl" }` once listening (scripts/start.mjs reads it).
 * Imported (the rehearsal imports the bundle, dist/mail-catcher.mjs), it only exports `startMailCatcher`.
 */
import { pathToFileURL } from "node:url";
import { startMailCatcher } from "@switchboard/jobs/mail-catcher";
import { loadEnv } from "../env";

export { startMailCatcher };

async function main() {
  const env = loadEnv();
  try {
    const catcher = await startMailCatcher({ smtpPort: env.MAIL_SMTP_PORT, uiPort: env.MAIL_UI_PORT });
    console.log(JSON.stringify({ smtpUrl: catcher.smtpUrl, uiUrl: catcher.uiUrl }));
    const stop = () => void catcher.close().then(() => process.exit(0));
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  } catch (err) {
    console.error(
      `mail catcher: ${(err as Error).message} (ports ${env.MAIL_SMTP_PORT}/${env.MAIL_UI_PORT}; set MAIL_SMTP_PORT / MAIL_UI_PORT, or SMTP_URL for a real server)`,
    );
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
