import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectorFailure, ConnectorResult } from '../../../common/src/connector/connector-client.ts';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ok'; readonly value: T }
  | { readonly state: 'error'; readonly failure: ConnectorFailure };

/** Loads once per `key` (and on `reload`); the last answer wins, an older one arriving late is dropped. */
export function useConnector<T>(
  key: string,
  load: () => Promise<ConnectorResult<T>>,
): Loaded<T> & { reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    loadRef
      .current()
      .then((result) => {
        if (!current) return;
        setLoaded(result.ok ? { state: 'ok', value: result.value } : { state: 'error', failure: result });
      })
      .catch((error: unknown) => {
        if (current)
          setLoaded({
            state: 'error',
            failure: { ok: false, kind: 'server', status: 0, message: String(error) },
          });
      });
    return () => {
      current = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...loaded, reload };
}
