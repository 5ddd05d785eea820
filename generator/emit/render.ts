import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { packagePath } from '../packageRoot';

const TEMPLATES = packagePath('templates/');
const cache = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Render `templates/<name>.hbs` with a view model. Templates only loop and
 * branch; names, types and imports are computed by the caller.
 */
export function render(name: string, view: object): string {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(`${TEMPLATES}${name}.hbs`, 'utf8');
    template = Handlebars.compile(source, { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return template(view);
}
