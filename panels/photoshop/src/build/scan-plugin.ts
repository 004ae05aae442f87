import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Modules UXP provides to `require` (UXP's own fs/os, not Node's). */
export const UXP_MODULES = new Set(['photoshop', 'uxp', 'fs', 'os']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * Things in a built plugin folder that UXP cannot load: requires of Node built-ins or
 * of anything that is not a UXP module (of `options.modules`, Photoshop's by default),
 * globals the host lacks, ES module syntax, and CSS that UXP ignores
 * (grid layout, `gap`, sticky positioning).
 */
export function scanPluginFolder(dir: string, options: { modules?: ReadonlySet<string>; missingGlobals?: string[] } = {}): string[] {
  const modules = options.modules ?? UXP_MODULES;
  const problems: string[] = [];
  for (const file of filesUnder(dir)) {
    const rel = path.relative(dir, file);
    if (/\.(js|mjs|cjs)$/.test(file)) {
      const code = readFileSync(file, 'utf8');
      for (const match of code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
        const name = match[1]!;
        if (!modules.has(name)) problems.push(`${rel}: require("${name}") is not a UXP module`);
      }
      if (/(^|[;\n}])\s*import\b\s*(\{|\*|[\w$]+\s*(,|from))|(^|[;\n])\s*export\b\s*(\{|default|const|function)/.test(code)) {
        problems.push(`${rel}: ES module syntax (UXP loads plain scripts)`);
      }
      if (/["'`]node:[a-z_/]+["'`]/.test(code)) problems.push(`${rel}: mentions a node: module`);
      // Globals the host's UXP does not have (Premiere Pro has no TextDecoder, for one).
      // A library's feature test (`typeof X == "function" ? new X(…) : fallback`) is fine.
      for (const name of options.missingGlobals ?? []) {
        const guarded = new RegExp(`typeof\\s+${name}\\s*[=!]==?\\s*["'\`]function["'\`]\\s*\\?\\s*new\\s+${name}\\(`, 'g');
        if (new RegExp(`\\b${name}\\b`).test(code.replace(guarded, ''))) problems.push(`${rel}: uses ${name}, which this host's UXP lacks`);
      }
    }
    if (file.endsWith('.css')) {
      const css = readFileSync(file, 'utf8');
      if (/display\s*:\s*(inline-)?grid/.test(css)) problems.push(`${rel}: display: grid (UXP has flexbox only)`);
      if (/grid-template|grid-area|grid-column|grid-row/.test(css)) problems.push(`${rel}: grid properties`);
      if (/(^|[;{\s])(row-|column-)?gap\s*:/.test(css)) problems.push(`${rel}: gap (not supported by UXP flexbox)`);
      if (/position\s*:\s*sticky/.test(css)) problems.push(`${rel}: position: sticky`);
    }
    if (file.endsWith('.html')) {
      const html = readFileSync(file, 'utf8');
      if (/<script[^>]*type=["']module["']/.test(html)) problems.push(`${rel}: <script type="module">`);
      if (/(src|href)=["']\//.test(html)) problems.push(`${rel}: absolute asset path`);
    }
  }
  return problems;
}
