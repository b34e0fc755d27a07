/**
 * The signed-in session for every component: who the user is, what their role allows, and
 * sign-in / sign-out. Loaded from GET /v1/session on start; the CSRF token goes to the client.
 */
import { type ComponentChildren, createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import { api, onSessionLost, setCsrfToken } from "./api/client";
import type { Session } from "./api/types";

export type SessionState =
  | { status: "loading" }
  | { status: "signed_out" }
  | { status: "signed_in"; session: Session };

interface SessionApi {
  state: SessionState;
  /** Stores a session an auth endpoint just returned. */
  signedIn(session: Session): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });
  const signedIn = (session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ status: "signed_in", session });
  };
  useEffect(() => {
    onSessionLost(() => setState({ status: "signed_out" }));
    // The Worker sets this readable hint beside the HttpOnly session cookie.
    if (!document.cookie.includes("prep_signed_in=")) {
      setState({ status: "signed_out" });
      return;
    }
    api<Session>("/v1/session")
      .then(signedIn)
      .catch(() => setState({ status: "signed_out" }));
  }, []);
  const signOut = async () => {
    await api("/v1/auth/signout", { method: "POST" }).catch(() => undefined);
    setState({ status: "signed_out" });
  };
  return <SessionContext.Provider value={{ state, signedIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSessionApi(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSessionApi outside SessionProvider");
  return value;
}

/** The current session; only for pages rendered while signed in. */
export function useSession(): Session {
  const { state } = useSessionApi();
  if (state.status !== "signed_in") throw new Error("useSession while not signed in");
  return state.session;
}

/** Whether the signed-in user's role grants `scope` (the API enforces it regardless). */
export function useCan(scope: string): boolean {
  return useSession().scopes.includes(scope);
}
