/**
 * Loads an API resource with explicit loading / error / data states and a reload.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError, api } from "../api/client";

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

export function useResource<T>(path: string | null): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setLoading(true);
    api<T>(path)
      .then((value) => {
        if (!current) return;
        setData(value);
        setError(undefined);
      })
      .catch(
        (e: unknown) =>
          current &&
          setError(
            e instanceof ApiError
              ? e
              : new ApiError({
                  type: "",
                  title: "Error",
                  status: 0,
                  code: "client_error",
                  detail: String(e),
                  requestId: null,
                }),
          ),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [path, version]);
  const reload = useCallback(() => setVersion((n) => n + 1), []);
  return { data, error, loading, reload };
}
