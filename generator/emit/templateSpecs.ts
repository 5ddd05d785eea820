import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Handlebars from 'handlebars';
import { lazyModule } from '../lazyModule';

// Build time only (and render.ts's fallback): the CLI itself loads just Handlebars' runtime.
const compiler = lazyModule<typeof Handlebars>('handlebars');

/** How every template is compiled: output is written verbatim (no HTML escaping), a missing view field is an error. */
export const TEMPLATE_OPTIONS = { noEscape: true, strict: true } as const;

/**
 * JavaScript source of an object literal mapping each template's name
 * (`watermelon/model` for `templates/watermelon/model.hbs`) to its
 * `Handlebars.precompile` output. The package build (tsup.config.ts) puts it
 * in place of precompiledTemplates.ts, so the published CLI does not compile
 * templates at every run (docs/PERFORMANCE.md "Generate"). Handlebars'
 * `compile` is this same compiler's output evaluated, so the rendered text is
 * identical (tests/precompiledTemplates.test.ts renders the golden cases
 * through it).
 */
export function precompiledTemplatesSource(templatesDir: string): string {
  const entries = templateNames(templatesDir).map((name) => {
    const spec = compiler().precompile(readFileSync(join(templatesDir, `${name}.hbs`), 'utf8'), TEMPLATE_OPTIONS);
    return `${JSON.stringify(name)}: ${spec}`;
  });
  return `{\n${entries.join(',\n')}\n}`;
}

function templateNames(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const name = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return templateNames(dir, name);
      return entry.name.endsWith('.hbs') ? [name.slice(0, -'.hbs'.length)] : [];
    });
}
