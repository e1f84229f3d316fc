import { PageHeader } from "../../components/ui/page-header";
import { SettingsSection } from "../../components/ui/settings-section";
import { Empty } from "../../components/ui/states";
import { usePermissions } from "../../lib/roles";
import { AiRepliesSection } from "./ai-replies-section";
import { TwilioSection } from "./twilio-section";
import { WebhooksSection } from "./webhooks-section";

/** Connections to the outside: webhooks out, Twilio in, AI replies, and where the API is described. */
export function IntegrationsPage() {
  const perms = usePermissions();
  if (!perms.loading && !perms.canAdmin) {
    return (
      <>
        <PageHeader title="Integrations" />
        <Empty>Only admins and owners manage integrations.</Empty>
      </>
    );
  }
  return (
    <div className="space-y-10">
      <PageHeader
        title="Integrations"
        description="Send events to your systems, take calls and messages in from Twilio, let an AI agent answer, and build on the API."
      />
      <SettingsSection id="webhooks" title="Webhooks" description="Signed HTTPS requests to your endpoints when conversations, messages, calls and leads change.">
        <WebhooksSection />
      </SettingsSection>
      <SettingsSection id="twilio" title="Twilio" description="Calls and SMS or WhatsApp messages from your Twilio numbers, checked with your account's signature.">
        <TwilioSection />
      </SettingsSection>
      <SettingsSection id="ai-replies" title="AI replies" description="A chat agent answers new conversations and hands them to people on a keyword, after a number of answers, or when the provider fails.">
        <AiRepliesSection canEdit={perms.canAdmin} />
      </SettingsSection>
      <SettingsSection id="api" title="API" description="Everything the dashboard does is an API call: scripts and other languages use the same procedures.">
        <ApiReference />
      </SettingsSection>
    </div>
  );
}

function ApiReference() {
  return (
    <div className="space-y-3 text-sm text-slate-700">
      <p>
        The reference lists every procedure with its input, output and errors, and how to call it over HTTP with an API key.
      </p>
      <ul className="flex flex-wrap gap-x-6 gap-y-2">
        <li>
          <a href="/docs" target="_blank" rel="noopener" className="font-medium text-brand hover:underline">
            API reference<span className="sr-only"> (opens in a new tab)</span>
          </a>
        </li>
        <li>
          <a href="/openapi.json" target="_blank" rel="noopener" className="font-medium text-brand hover:underline">
            OpenAPI document<span className="sr-only"> (opens in a new tab)</span>
          </a>
        </li>
      </ul>
      <p className="text-xs text-slate-600">
        TypeScript: <code className="rounded bg-slate-100 px-1">@switchboard/sdk</code> gives typed calls, pagination, retries and webhook
        verification. Create a key under API keys.
      </p>
    </div>
  );
}
