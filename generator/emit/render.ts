import { readFileSync } from 'node:fs';
import type Handlebars from 'handlebars';
import { lazyModule } from '../lazyModule';
import { packagePath } from '../packageRoot';
import { precompiled } from './precompiledTemplates';
import { TEMPLATE_OPTIONS } from './templateSpecs';

const TEMPLATES = packagePath('templates/');
const cache = new Map<string, Handlebars.TemplateDelegate>();
// Precompiled templates need only Handlebars' runtime; the compiler (with its source-map dependency) is
// loaded only for a template that is not precompiled. (The runtime has no "exports" map: a CommonJS path.)
const runtime = lazyModule<typeof Handlebars>('handlebars/runtime');
const compiler = lazyModule<typeof Handlebars>('handlebars');

/**
 * Render `templates/<name>.hbs` with a view model. Templates only loop and
 * branch; names, types and imports are computed by the caller. The published
 * package ships them precompiled (precompiledTemplates.ts) and loads only
 * Handlebars' runtime; the sources compile them on first use.
 */
export function render(name: string, view: object): string {
  let template = cache.get(name);
  if (!template) {
    const spec = precompiled?.[name];
    template = spec ? runtime().template(spec) : compiler().compile(readFileSync(`${TEMPLATES}${name}.hbs`, 'utf8'), TEMPLATE_OPTIONS);
    cache.set(name, template);
  }
  return template(view);
}
