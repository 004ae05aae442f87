/** The CSS variables Photoshop sets on a UXP panel, for its dark and light interface. */
export const THEMES = {
  dark: {
    '--uxp-host-background-color': '#323232',
    '--uxp-host-text-color': '#e8e8e8',
    '--uxp-host-text-color-secondary': '#a8a8a8',
    '--uxp-host-border-color': '#4a4a4a',
    '--uxp-host-widget-hover-background-color': '#262626',
    '--uxp-host-font-size': '12px',
  },
  light: {
    '--uxp-host-background-color': '#f0f0f0',
    '--uxp-host-text-color': '#2c2c2c',
    '--uxp-host-text-color-secondary': '#6e6e6e',
    '--uxp-host-border-color': '#c8c8c8',
    '--uxp-host-widget-hover-background-color': '#ffffff',
    '--uxp-host-font-size': '12px',
  },
} as const;

export function applyHostTheme(theme: keyof typeof THEMES): void {
  for (const [name, value] of Object.entries(THEMES[theme])) document.documentElement.style.setProperty(name, value);
}
