import { useSyncExternalStore } from 'react';
import type { Store } from '@stockroom/panels-core';

export { Store } from '@stockroom/panels-core';

export function useStore<S>(store: Store<S>): S {
  return useSyncExternalStore(store.subscribe, store.get);
}
