export { fakeFileBytes, preparePreviewPage, previewController, previewParams, renderPreviewPanel, showHostCalls } from './bootstrap.tsx';
export { applyHostTheme, THEMES } from './theme.ts';
