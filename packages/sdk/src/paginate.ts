/**
 * Walking a list procedure's cursor pages. Every list takes `{ limit?, cursor? }` and answers
 * `{ items, nextCursor }` (contract, "Procedures"); these follow `nextCursor` until it is null.
 */

/** One page of a list procedure. */
export interface Page<TItem> {
  items: TItem[];
  nextCursor: string | null;
}

/** A list procedure of the client, e.g. `sb.calls.list`. */
export interface ListProcedure<TInput, TItem> {
  query(input: TInput, opts?: { signal?: AbortSignal }): PromiseLike<Page<TItem>>;
}

/** The list's filters and page size (`limit`); the cursor is the iterator's business. */
export type ListInput<TInput> = Omit<Exclude<TInput, void | undefined>, "cursor">;

export interface PaginateOptions {
  /** Stops between pages (the page in flight is aborted too). */
  signal?: AbortSignal;
}

/** Every page of a list, first to last: `for await (const page of pages(sb.calls.list, { limit: 100 }))`. */
export async function* pages<TInput, TItem>(
  procedure: ListProcedure<TInput, TItem>,
  input?: ListInput<TInput>,
  options: PaginateOptions = {},
): AsyncGenerator<Page<TItem>, void, undefined> {
  let cursor: string | null = null;
  const seen = new Set<string>();
  do {
    options.signal?.throwIfAborted();
    const page: Page<TItem> = await procedure.query(
      { ...input, ...(cursor === null ? {} : { cursor }) } as TInput,
      options.signal ? { signal: options.signal } : undefined,
    );
    yield page;
    cursor = page.nextCursor;
    if (cursor !== null) {
      if (seen.has(cursor)) throw new Error(`The list answered the cursor ${cursor} twice; stopping instead of looping`);
      seen.add(cursor);
    }
  } while (cursor !== null);
}

/**
 * Every item of a list, fetching the next page when the last one is used up:
 * `for await (const call of paginate(sb.calls.list, { status: "completed" })) …`. Leaving the loop early stops.
 */
export async function* paginate<TInput, TItem>(
  procedure: ListProcedure<TInput, TItem>,
  input?: ListInput<TInput>,
  options: PaginateOptions = {},
): AsyncGenerator<TItem, void, undefined> {
  for await (const page of pages(procedure, input, options)) yield* page.items;
}
