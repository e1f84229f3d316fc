import { type FormEvent, type KeyboardEvent, useId, useLayoutEffect, useRef, useState } from "react";
import { Button } from "../../components/ui/button";
import { cn } from "../../components/ui/cn";
import { FormError } from "../../components/ui/field";
import { formErrors } from "../../lib/errors";
import { type CannedChoice, insertCanned, matchCanned, slashQuery } from "./canned-shortcut";

export type ComposerMode = "reply" | "note";

const modeText: Record<ComposerMode, { label: string; button: string; placeholder: string }> = {
  reply: { label: "Reply", button: "Send reply", placeholder: "Write to the customer… (type / for canned responses)" },
  note: { label: "Internal note", button: "Add note", placeholder: "Only your team sees notes… (type / for canned responses)" },
};

/**
 * Writes a reply to the customer or an internal note. Typing `/` (at the start or after a space) lists the canned
 * responses; arrows move, Enter or Tab inserts the body in place of the `/word`, Escape closes the list.
 * Ctrl/⌘+Enter sends.
 */
export function Composer({
  canned,
  onSubmit,
  pending,
  error,
}: {
  canned: readonly CannedChoice[];
  /** Resolves once sent: the text is then cleared. */
  onSubmit: (mode: ComposerMode, body: string) => Promise<unknown>;
  pending: boolean;
  error: unknown;
}) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [mode, setMode] = useState<ComposerMode>("reply");
  const [text, setText] = useState("");
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  /** The start of a `/word` whose list was closed with Escape: it stays closed until another `/word` is typed. */
  const [dismissed, setDismissed] = useState<number | null>(null);
  const pendingCaret = useRef<number | null>(null);

  const slash = slashQuery(text, caret);
  const matches = slash && slash.start !== dismissed ? matchCanned(canned, slash.query) : [];
  const open = matches.length > 0;
  const current = open ? Math.min(active, matches.length - 1) : -1;
  const listId = `${id}-canned`;
  const optionId = (i: number) => `${id}-canned-${i}`;
  const errors = formErrors(error, ["body"] as const);

  useLayoutEffect(() => {
    if (pendingCaret.current === null || !area.current) return;
    area.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  });

  function track(el: HTMLTextAreaElement) {
    setText(el.value);
    setCaret(el.selectionStart ?? el.value.length);
  }

  function choose(c: CannedChoice) {
    if (!slash) return;
    const next = insertCanned(text, slash.start, caret, c.body);
    setText(next.text);
    setCaret(next.caret);
    setActive(0);
    pendingCaret.current = next.caret;
    area.current?.focus();
  }

  async function send() {
    const body = text.trim();
    if (!body || pending) return;
    try {
      await onSubmit(mode, body);
      setText("");
      setCaret(0);
      setDismissed(null);
    } catch {
      // The error is shown from `error`; the text stays for another try.
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (open) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const step = e.key === "ArrowDown" ? 1 : -1;
        setActive((current + step + matches.length) % matches.length);
        return;
      }
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        choose(matches[current]!);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        setDismissed(slash!.start);
        return;
      }
    }
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void send();
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Composer" className="space-y-2">
      <div role="group" aria-label="Message type" className="flex gap-1">
        {(["reply", "note"] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={mode === m}
            onClick={() => setMode(m)}
            className={cn(
              "rounded-md px-3 py-1.5 text-sm font-medium",
              mode === m ? (m === "note" ? "bg-amber-100 text-amber-900" : "bg-slate-900 text-white") : "text-slate-700 hover:bg-slate-100",
            )}
          >
            {m === "reply" ? "Reply" : "Note"}
          </button>
        ))}
      </div>
      <FormError message={errors.form} />
      <div className="relative">
        {open && (
          <ul
            id={listId}
            role="listbox"
            aria-label="Canned responses"
            className="absolute bottom-full left-0 z-10 mb-1 max-h-60 w-full overflow-y-auto rounded-md bg-white py-1 shadow-lg ring-1 ring-slate-200"
          >
            {matches.map((c, i) => (
              <li
                key={c.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === current}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(c);
                }}
                className={cn("cursor-pointer px-3 py-2 text-sm", i === current ? "bg-slate-100" : "hover:bg-slate-50")}
              >
                <span className="font-mono text-xs text-slate-600">/{c.shortcut}</span> <span className="font-medium text-slate-900">{c.title}</span>
                <span className="block truncate text-xs text-slate-600">{c.body}</span>
              </li>
            ))}
          </ul>
        )}
        <label htmlFor={`${id}-body`} className="sr-only">
          {modeText[mode].label}
        </label>
        <textarea
          ref={area}
          id={`${id}-body`}
          rows={3}
          value={text}
          placeholder={modeText[mode].placeholder}
          aria-autocomplete="list"
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? optionId(current) : undefined}
          aria-invalid={errors.fields.body ? true : undefined}
          aria-describedby={errors.fields.body ? `${id}-error` : undefined}
          onChange={(e) => {
            track(e.target);
            setActive(0);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
          onKeyDown={onKeyDown}
          className={cn(
            "block w-full rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset",
            "placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-brand focus:outline-none aria-invalid:ring-red-500",
            mode === "note" ? "bg-amber-50 ring-amber-300" : "bg-white ring-slate-300",
          )}
        />
        {errors.fields.body && (
          <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-600">
            {errors.fields.body}
          </p>
        )}
      </div>
      <div className="flex items-center justify-between gap-3">
        <p className="text-xs text-slate-600">{mode === "note" ? "Notes are internal: the customer never sees them." : "Ctrl+Enter sends."}</p>
        <Button type="submit" pending={pending} disabled={!text.trim()}>
          {modeText[mode].button}
        </Button>
      </div>
    </form>
  );
}
