import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { CheckboxGroup } from "../../components/ui/checkbox-group";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { SaveRow } from "../../components/ui/save-row";
import { Select, Textarea } from "../../components/ui/select";
import { Switch } from "../../components/ui/switch";
import { formErrors } from "../../lib/errors";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";
import { channelLabel, channels } from "../engagements/engagement-meta";

export type AiReplies = NonNullable<RouterInputs["tenant"]["update"]["aiReplies"]>;
/** As tenant.current returns it (null: never set, so off). */
type SavedAiReplies = RouterOutputs["tenant"]["current"]["aiReplies"];
type AiChannel = AiReplies["channels"][number];
type Agent = RouterOutputs["agents"]["list"]["items"][number];

/** The channels an AI agent can answer in writing (voice calls are the voice agents' job). */
export const aiChannels = channels.filter((c): c is AiChannel & typeof c => c !== "voice");

export const MAX_TURNS = { min: 1, max: 20, start: 5 } as const;

/** The form's keywords box → the list: one per line or comma, trimmed, no empties, each once (case-insensitively). */
export function parseKeywords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\n,]/)) {
    const k = raw.trim();
    if (!k || seen.has(k.toLowerCase())) continue;
    seen.add(k.toLowerCase());
    out.push(k);
  }
  return out;
}

const fields = ["aiReplies.enabled", "aiReplies.channels", "aiReplies.agentId", "aiReplies.handoffKeywords", "aiReplies.maxTurns"] as const;

/**
 * Which conversations a chat agent answers and when it hands them to people. Off by default; an enabled setup
 * needs a chat agent and at least one channel.
 */
export function AiRepliesForm({
  aiReplies,
  agents,
  onSubmit,
  pending,
  error,
  disabled,
  saved,
}: {
  aiReplies: SavedAiReplies;
  agents: readonly Agent[];
  onSubmit: (v: AiReplies) => void;
  pending: boolean;
  error: unknown;
  disabled: boolean;
  saved: boolean;
}) {
  const chatAgents = agents.filter((a) => a.type === "chat");
  const [enabled, setEnabled] = useState(aiReplies?.enabled ?? false);
  const [picked, setPicked] = useState<ReadonlySet<AiChannel>>(
    new Set(aiReplies ? aiChannels.filter((c) => aiReplies.channels.includes(c)) : ["chat", "whatsapp", "sms"]),
  );
  const [agentId, setAgentId] = useState(aiReplies?.agentId ?? chatAgents[0]?.id ?? "");
  const [keywords, setKeywords] = useState((aiReplies?.handoffKeywords ?? ["human", "agent"]).join("\n"));
  const [maxTurns, setMaxTurns] = useState(String(aiReplies?.maxTurns ?? MAX_TURNS.start));
  const [problems, setProblems] = useState<{ channels?: string; agentId?: string; maxTurns?: string }>({});
  const errors = formErrors(error, fields);

  function submit(e: FormEvent) {
    e.preventDefault();
    const turns = Number(maxTurns);
    const found: typeof problems = {};
    if (!/^\d+$/.test(maxTurns.trim()) || turns < MAX_TURNS.min || turns > MAX_TURNS.max) found.maxTurns = `Use a whole number from ${MAX_TURNS.min} to ${MAX_TURNS.max}`;
    if (enabled && picked.size === 0) found.channels = "Pick at least one channel";
    if (enabled && !agentId) found.agentId = "Pick the chat agent that answers";
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    onSubmit({
      enabled,
      channels: aiChannels.filter((c) => picked.has(c)),
      agentId: agentId || null,
      handoffKeywords: parseKeywords(keywords),
      maxTurns: turns,
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="AI replies">
      <fieldset disabled={disabled} className="space-y-4">
        <FormError message={errors.form} />
        <Switch
          label="Answer with an AI agent"
          hint="New inbound messages on the channels below are answered by the chat agent until a person takes over."
          checked={enabled}
          disabled={disabled}
          onChange={setEnabled}
        />
        <Field
          label="Chat agent"
          error={problems.agentId ?? errors.fields["aiReplies.agentId"]}
          hint={chatAgents.length === 0 ? "No chat agent yet: create one under AI agents first." : "Its prompt, greeting and model shape the answers."}
        >
          <Select value={agentId} onChange={(e) => setAgentId(e.target.value)}>
            <option value="">No agent</option>
            {chatAgents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </Field>
        <p className="text-xs text-slate-600">
          <Link to="/agents" className="font-medium text-brand hover:underline">
            Manage AI agents
          </Link>{" "}
          (prompt, greeting, model and endpoint).
        </p>
        <CheckboxGroup
          legend="Channels"
          inline
          options={aiChannels.map((c) => ({ value: c, label: channelLabel[c] }))}
          selected={picked}
          onChange={setPicked}
          error={problems.channels ?? errors.fields["aiReplies.channels"]}
        />
        <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
          <Field
            label="Handoff keywords"
            error={errors.fields["aiReplies.handoffKeywords"]}
            hint="One per line. A customer message containing one hands the conversation to people; so does asking for a person."
          >
            <Textarea rows={3} value={keywords} onChange={(e) => setKeywords(e.target.value)} />
          </Field>
          <Field
            label="AI answers at most"
            error={problems.maxTurns ?? errors.fields["aiReplies.maxTurns"]}
            hint="Per conversation; then people take over."
          >
            <Input
              type="number"
              inputMode="numeric"
              min={MAX_TURNS.min}
              max={MAX_TURNS.max}
              value={maxTurns}
              onChange={(e) => setMaxTurns(e.target.value)}
              className="w-28"
            />
          </Field>
        </div>
        {!disabled && <SaveRow label="Save AI replies" pending={pending} saved={saved} />}
      </fieldset>
    </form>
  );
}
