import { startMainThread } from './router.ts';

figma.showUI(__html__, { width: 380, height: 600, themeColors: true, title: 'Stockroom brand assets' });
startMainThread(figma);
