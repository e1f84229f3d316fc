/** Orders tenants as a tree for lists: each organisation followed by its departments, by name. */
export interface TenantLike {
  id: string;
  name: string;
  parentId: string | null;
}

export function tenantTree<T extends TenantLike>(items: readonly T[]): { tenant: T; depth: 0 | 1 }[] {
  const ids = new Set(items.map((t) => t.id));
  const byName = (a: T, b: T) => a.name.localeCompare(b.name);
  // A department whose organisation the caller cannot see is shown at the top level.
  const roots = items.filter((t) => !t.parentId || !ids.has(t.parentId)).sort(byName);
  return roots.flatMap((root) => [
    { tenant: root, depth: 0 as const },
    ...items
      .filter((t) => t.parentId === root.id)
      .sort(byName)
      .map((tenant) => ({ tenant, depth: 1 as const })),
  ]);
}
