import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { DialogActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { Select, Textarea } from "../../components/ui/select";
import { enumValues } from "../../lib/enums";
import { formErrors } from "../../lib/errors";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

/** What agents.create receives. */
export type AgentValues = RouterInputs["agents"]["create"];
type AgentType = AgentValues["type"];
/** The agent being edited, as agents.list shows it. */
type AgentLike = Pick<RouterOutputs["agents"]["list"]["items"][number], "name" | "type" | "configuration">;

const agentTypeLabel: Record<AgentType, string> = { voice: "Voice", chat: "Chat" };
const agentTypes = enumValues(agentTypeLabel);

const fields = [
  "name",
  "type",
  "configuration.prompt",
  "configuration.voice",
  "configuration.language",
  "configuration.greeting",
  "configuration.provider.model",
  "configuration.provider.baseUrl",
] as const;

export const voices = ["alloy", "aria", "verse", "sage", "coral"];

interface AgentFormValues {
  name: string;
  type: AgentType;
  prompt: string;
  language: string;
  voice: string;
  greeting: string;
  /** Chat agents: the model answering AI replies, and its OpenAI-compatible endpoint (empty: the deployment's). */
  model: string;
  baseUrl: string;
}

/** What agents.create / agents.update receive: optional fields left out when empty. */
export function agentInput(v: AgentFormValues): AgentValues {
  const voice = v.type === "voice" ? v.voice.trim() : "";
  const greeting = v.greeting.trim();
  const model = v.type === "chat" ? v.model.trim() : "";
  const baseUrl = v.baseUrl.trim();
  const provider = model ? { provider: { model, ...(baseUrl ? { baseUrl } : {}) } } : {};
  return {
    name: v.name,
    type: v.type,
    configuration: { prompt: v.prompt, language: v.language.trim(), ...(voice ? { voice } : {}), ...(greeting ? { greeting } : {}), ...provider },
  };
}

/**
 * Create or edit an AI agent. A type the tenant has switched off cannot be picked for a new agent (the API would
 * refuse it); an existing agent keeps its type.
 */
export function AgentForm({
  agent,
  enabled,
  onSubmit,
  onCancel,
  pending,
  error,
}: {
  agent?: AgentLike;
  enabled: Record<AgentType, boolean>;
  onSubmit: (v: AgentValues) => void;
  onCancel: () => void;
  pending: boolean;
  error: unknown;
}) {
  const firstEnabled: AgentType = enabled.voice || !enabled.chat ? "voice" : "chat";
  const [v, setV] = useState<AgentFormValues>({
    name: agent?.name ?? "",
    type: agent?.type ?? firstEnabled,
    prompt: agent?.configuration.prompt ?? "",
    language: agent?.configuration.language ?? "en-US",
    voice: agent?.configuration.voice ?? (agent ? "" : "alloy"),
    greeting: agent?.configuration.greeting ?? "",
    model: agent?.configuration.provider?.model ?? "",
    baseUrl: agent?.configuration.provider?.baseUrl ?? "",
  });
  const errors = formErrors(error, fields);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(agentInput(v));
  }
  return (
    <form onSubmit={submit} noValidate aria-label={agent ? "Edit agent" : "Create agent"} className="space-y-4">
      <FormError message={errors.form} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" error={errors.fields.name}>
          <Input value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />
        </Field>
        <Field label="Type" error={errors.fields.type}>
          <Select value={v.type} onChange={(e) => setV({ ...v, type: e.target.value as AgentType })} disabled={agent !== undefined}>
            {agentTypes.map((t) => (
              <option key={t} value={t} disabled={!enabled[t] && agent?.type !== t}>
                {`${agentTypeLabel[t]}${enabled[t] ? "" : " (disabled for this tenant)"}`}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label="Prompt" error={errors.fields["configuration.prompt"]} hint="Instructions: who the agent is, what it may do, when to hand over.">
        <Textarea rows={6} value={v.prompt} onChange={(e) => setV({ ...v, prompt: e.target.value })} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Language" error={errors.fields["configuration.language"]} hint="A tag such as en-US or de.">
          <Input value={v.language} onChange={(e) => setV({ ...v, language: e.target.value })} />
        </Field>
        {v.type === "voice" && (
          <Field label="Voice" error={errors.fields["configuration.voice"]}>
            <Select value={v.voice} onChange={(e) => setV({ ...v, voice: e.target.value })}>
              <option value="">Default</option>
              {[...new Set([...voices, ...(v.voice ? [v.voice] : [])])].map((name) => (
                <option key={name} value={name}>
                  {name[0]!.toUpperCase() + name.slice(1)}
                </option>
              ))}
            </Select>
          </Field>
        )}
      </div>
      <Field label="Greeting" error={errors.fields["configuration.greeting"]} hint="The first thing the agent says. Optional.">
        <Input value={v.greeting} onChange={(e) => setV({ ...v, greeting: e.target.value })} />
      </Field>
      {v.type === "chat" && (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Model"
            error={errors.fields["configuration.provider.model"]}
            hint="For AI replies, e.g. gpt-4o-mini. Empty: the deployment's default model."
          >
            <Input value={v.model} spellCheck={false} onChange={(e) => setV({ ...v, model: e.target.value })} />
          </Field>
          <Field
            label="Endpoint base URL"
            error={errors.fields["configuration.provider.baseUrl"]}
            hint="Any OpenAI-compatible API (OpenAI, vLLM, Ollama), e.g. https://api.openai.com/v1. Empty: the deployment's."
          >
            <Input type="url" inputMode="url" value={v.baseUrl} spellCheck={false} disabled={!v.model.trim()} onChange={(e) => setV({ ...v, baseUrl: e.target.value })} />
          </Field>
        </div>
      )}
      <DialogActions>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" pending={pending}>
          {agent ? "Save agent" : "Create agent"}
        </Button>
      </DialogActions>
    </form>
  );
}
