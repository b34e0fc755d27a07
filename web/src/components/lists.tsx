/**
 * Showing a list the API pages back: its loading, error and empty states, and the table its
 * rows sit in. Every list page says the same things the same way, so they live here once.
 */
import type { ComponentChildren } from "preact";
import type { Page } from "../api/types";
import type { Resource } from "../hooks/useResource";
import { ErrorNotice, Loading } from "./ui";

interface ListStatesProps<T> {
  list: Resource<Page<T>>;
  /** What is loading, for "Loading keys…". */
  what: string;
  /** Shown when the list is loaded and has no items. */
  empty: ComponentChildren;
  children: (items: T[]) => ComponentChildren;
}

/** Loading until the first page arrives, the error with a retry, `empty`, or the items. */
export function ListStates<T>({ list, what, empty, children }: ListStatesProps<T>) {
  const items = list.data?.data;
  return (
    <>
      {list.loading && !list.data && <Loading what={what} />}
      {list.error && <ErrorNotice error={list.error} retry={list.reload} />}
      {items && (items.length === 0 ? empty : children(items))}
    </>
  );
}

interface DataTableProps {
  columns: string[];
  /** Adds a last column for row buttons, named for screen readers only. */
  actions?: boolean;
  caption?: string;
  testId?: string;
  /** The rows (`<tr>`s). */
  children: ComponentChildren;
}

/** A scrollable table with a header row of `columns`. */
export function DataTable({ columns, actions = false, caption, testId, children }: DataTableProps) {
  return (
    <div class="table-wrap">
      <table data-testid={testId}>
        {caption && <caption class="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
