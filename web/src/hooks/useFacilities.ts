/**
 * All of the tenant's locations the user may see (every page of GET /v1/facilities), for
 * the overview and the locations list, which filter and sort in the browser.
 */
import { useEffect, useState } from "preact/hooks";
import { type ApiError, api } from "../api/client";
import type { Facility, Page } from "../api/types";
import type { Resource } from "./useResource";

/** Stops after this many locations; the list says so (server-side search is future work). */
export const MAX_LOCATIONS = 2000;

export function useFacilities(): Resource<Facility[]> {
  const [state, setState] = useState<{ data?: Facility[]; error?: ApiError; loading: boolean }>({
    loading: true,
  });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    (async () => {
      const all: Facility[] = [];
      let cursor: string | null | undefined;
      do {
        const page = await api<Page<Facility>>(
          `/v1/facilities?limit=100${cursor ? `&cursor=${cursor}` : ""}`,
        );
        all.push(...page.data);
        cursor = page.nextCursor;
      } while (cursor && all.length < MAX_LOCATIONS);
      return all;
    })()
      .then((data) => current && setState({ data, loading: false }))
      .catch((error: ApiError) => current && setState({ error, loading: false }));
    return () => {
      current = false;
    };
  }, [version]);
  return { ...state, data: state.data, error: state.error, reload: () => setVersion((n) => n + 1) };
}
