/**
 * The part of Figma's plugin API the main thread uses. The code takes it as a parameter
 * (the real `figma` global in Figma, the recording fake in tests), so a change of the
 * official typings that breaks a call breaks the build.
 */
export type FigmaApi = Pick<
  PluginAPI,
  | 'root'
  | 'currentPage'
  | 'command'
  | 'ui'
  | 'clientStorage'
  | 'createNodeFromSvg'
  | 'createImage'
  | 'createRectangle'
  | 'getNodeByIdAsync'
  | 'loadAllPagesAsync'
  | 'notify'
  | 'openExternal'
  | 'on'
  | 'viewport'
  | 'mixed'
>;
