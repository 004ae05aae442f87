import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousAccessibilityViolations } from '../../../bridge-server/test/dashboard/library-fixture.ts';
import { THEMES } from '../../core/preview/theme.ts';

/** The host's light or dark interface, live: its panel variables and the system colour scheme. */
export async function switchTheme(page: Page, name: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: name });
  await page.evaluate(
    (vars) => {
      for (const [key, value] of Object.entries(vars)) document.documentElement.style.setProperty(key, value);
    },
    THEMES[name] as Record<string, string>,
  );
}

/** axe-core in both themes on the screen as it is: no critical and no serious violations (ends in the dark theme). */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await switchTheme(page, theme);
    expect({ screen, theme, violations: await seriousAccessibilityViolations(page) }).toEqual({ screen, theme, violations: [] });
  }
}

export { seriousAccessibilityViolations };
