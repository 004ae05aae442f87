import sharp from 'sharp';

/** The Stockroom glyph: a stack of three shelves with a box on top. */
function glyph(colour: string, background?: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48">
  ${background ? `<rect width="48" height="48" rx="10" fill="${background}"/>` : ''}
  <g fill="none" stroke="${colour}" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round">
    <path d="M9 38h30M9 28h30"/>
    <rect x="15" y="10" width="18" height="12" rx="2"/>
    <path d="M21 16h6"/>
  </g>
</svg>`;
}

export interface IconFile {
  path: string;
  bytes: Buffer;
}

/** PNG icons at 1x and 2x for the panel (dark and light UI) and the plugin list. */
export async function renderIcons(): Promise<IconFile[]> {
  const specs = [
    { name: 'panel-dark', size: 23, svg: glyph('#e8e8e8') },
    { name: 'panel-light', size: 23, svg: glyph('#2c2c2c') },
    { name: 'plugin', size: 48, svg: glyph('#ffffff', '#1473e6') },
  ];
  const files: IconFile[] = [];
  for (const spec of specs) {
    for (const scale of [1, 2]) {
      const px = spec.size * scale;
      const bytes = await sharp(Buffer.from(spec.svg), { density: 72 * (px / 48) * 4 })
        .resize(px, px)
        .png()
        .toBuffer();
      files.push({ path: `icons/${spec.name}${scale === 1 ? '' : `@${scale}x`}.png`, bytes });
    }
  }
  return files;
}
