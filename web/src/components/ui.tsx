/**
 * Small shared pieces: status badges, loading / error / empty states that say what to do
 * next, and labelled form fields.
 */
import type { ComponentChildren, JSX } from "preact";
import type { ApiError } from "../api/client";
import type { Status } from "../api/types";
import { STATUS_LABEL } from "../format";

export function StatusBadge({ status }: { status: Status | null }) {
  if (!status) return <span class="badge">Not checked</span>;
  return <span class={`badge badge-${status}`}>{STATUS_LABEL[status]}</span>;
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="state" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorNotice({ error, retry }: { error: ApiError; retry?: () => void }) {
  return (
    <div class="notice notice-error" role="alert">
      <p>
        <strong>{error.problem.title}.</strong> {error.problem.detail}
      </p>
      {error.problem.requestId && <p class="muted">Request id: {error.problem.requestId}</p>}
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state empty">
      <p>
        <strong>{title}</strong>
      </p>
      {children}
    </div>
  );
}

type FieldProps = JSX.InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  /** Defaults to `field-<name>`; set it when a name repeats on the page. */
  id?: string;
  error?: string | undefined;
  hint?: string;
};

/** An input with its label, hint and error wired up for screen readers. */
export function Field({ label, name, id: givenId, error, hint, ...input }: FieldProps) {
  const id = givenId ?? `field-${name}`;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** Reads a submitted form's named fields as strings. */
export function formValues(event: SubmitEvent): Record<string, string> {
  event.preventDefault();
  const data = new FormData(event.currentTarget as HTMLFormElement);
  return Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)]));
}
