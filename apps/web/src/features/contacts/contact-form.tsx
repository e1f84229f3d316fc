import { type FormEvent, useState } from "react";
import { DialogFormActions } from "../../components/ui/dialog";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { formErrors } from "../../lib/errors";
import type { RouterOutputs } from "../../lib/trpc";

type Contact = RouterOutputs["contacts"]["get"];

const fields = ["name", "email", "phone"] as const;
type ContactField = (typeof fields)[number];

/** A new contact (what is filled in), or changes to one (what changed; an emptied field is null). */
type Target =
  | { contact: null; onCreate: (v: Partial<Record<ContactField, string>>) => void }
  | { contact: Contact; onUpdate: (v: Partial<Record<ContactField, string | null>>) => void };

/**
 * A contact's name and primary e-mail and phone. On an existing contact only what changed is sent, and an emptied
 * field clears it (its handle stays: the customer may still write from it); a new contact sends what is filled in.
 */
export function ContactForm(
  props: Target & {
    pending: boolean;
    error: unknown;
    onCancel: () => void;
  },
) {
  const { contact, pending, error, onCancel } = props;
  const [v, setV] = useState<Record<ContactField, string>>({ name: contact?.name ?? "", email: contact?.email ?? "", phone: contact?.phone ?? "" });
  const errors = formErrors(error, fields);
  function submit(e: FormEvent) {
    e.preventDefault();
    if (props.contact === null) return props.onCreate(Object.fromEntries(fields.filter((f) => v[f].trim()).map((f) => [f, v[f].trim()])));
    const saved = props.contact;
    const changed = fields.filter((f) => v[f].trim() !== (saved[f] ?? ""));
    props.onUpdate(Object.fromEntries(changed.map((f) => [f, v[f].trim() || null])));
  }
  return (
    <form onSubmit={submit} noValidate aria-label={contact ? "Edit contact" : "New contact"} className="space-y-4">
      <FormError message={errors.form} />
      <Field label="Name" error={errors.fields.name}>
        <Input value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} autoComplete="off" />
      </Field>
      <Field label="Email" error={errors.fields.email}>
        <Input type="email" value={v.email} onChange={(e) => setV({ ...v, email: e.target.value })} autoComplete="off" />
      </Field>
      <Field label="Phone" hint="With the country code, e.g. +44 20 7946 0000." error={errors.fields.phone}>
        <Input type="tel" value={v.phone} onChange={(e) => setV({ ...v, phone: e.target.value })} autoComplete="off" />
      </Field>
      <DialogFormActions submit={contact ? "Save contact" : "Create contact"} pending={pending} onCancel={onCancel} />
    </form>
  );
}
