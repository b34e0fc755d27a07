/**
 * The frame of the signed-out pages: the product name, one heading and a card.
 */
import type { ComponentChildren } from "preact";

export function AuthShell({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <main id="main" class="auth">
      <p class="brand" aria-hidden="true">
        Prep
      </p>
      <div class="card">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
