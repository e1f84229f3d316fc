import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Field, FormError } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { formErrors } from "../../lib/errors";
import { currentHost } from "../../lib/host";
import type { RouterInputs } from "../../lib/trpc";

type CreateTenantValues = Pick<RouterInputs["tenants"]["create"], "name" | "slug">;

/** A suggested address for a name: "Acme Corp." → "acme-corp". The server has the final word. */
export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
}

export function CreateTenantForm({
  onSubmit,
  pending,
  error,
  kind = "tenant",
}: {
  onSubmit: (v: CreateTenantValues) => void;
  pending: boolean;
  error: unknown;
  /** "department": the same form for a sub-tenant. */
  kind?: "tenant" | "department";
}) {
  const noun = kind === "department" ? "department" : "tenant";
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  // The slug follows the name until the user edits it.
  const [slugEdited, setSlugEdited] = useState(false);
  const errors = formErrors(error, ["name", "slug"] as const);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({ name, slug });
  }
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label={`Create ${noun}`}>
      <FormError message={errors.form} />
      <Field label={kind === "department" ? "Department name" : "Tenant name"} error={errors.fields.name}>
        <Input
          name="name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            if (!slugEdited) setSlug(slugFromName(e.target.value));
          }}
        />
      </Field>
      <Field label="Address" error={errors.fields.slug} hint={`Your dashboard will be at ${slug || "name"}.${currentHost.baseDomain}`}>
        <Input
          name="slug"
          value={slug}
          spellCheck={false}
          autoCapitalize="none"
          onChange={(e) => {
            setSlugEdited(true);
            setSlug(e.target.value);
          }}
        />
      </Field>
      <Button type="submit" pending={pending}>
        Create {noun}
      </Button>
    </form>
  );
}
