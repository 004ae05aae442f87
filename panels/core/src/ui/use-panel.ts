import { createContext, useContext, useSyncExternalStore } from 'react';
import type { PanelController, PanelState } from '../state/panel-controller.ts';

export const PanelContext = createContext<PanelController | null>(null);

export function usePanel(): [PanelState, PanelController] {
  const controller = useContext(PanelContext);
  if (!controller) throw new Error('usePanel() outside <PanelApp>');
  const state = useSyncExternalStore(controller.store.subscribe, controller.store.get);
  return [state, controller];
}
