import { createContext, useContext, useSyncExternalStore } from 'react';
import type { PanelController, PanelState } from '../state/panel-controller.ts';

export const PanelContext = createContext<PanelController | null>(null);

function usePanelController(): PanelController {
  const controller = useContext(PanelContext);
  if (!controller) throw new Error('usePanel() outside <PanelApp>');
  return controller;
}

export function usePanel(): [PanelState, PanelController] {
  const controller = usePanelController();
  const state = useSyncExternalStore(controller.store.subscribe, controller.store.get);
  return [state, controller];
}

/**
 * One value of the panel's state (a primitive or an object the state keeps as is): the component
 * draws again only when that value changes, not on every change of the state — so forty cards
 * do not all redraw each time one thumbnail arrives.
 */
export function usePanelValue<T>(select: (state: PanelState) => T): [T, PanelController] {
  const controller = usePanelController();
  const value = useSyncExternalStore(controller.store.subscribe, () => select(controller.store.get()));
  return [value, controller];
}
