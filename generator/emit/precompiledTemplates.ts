/**
 * The templates compiled ahead of time, by name. In the sources there are
 * none: render.ts compiles each template on first use. The package build
 * (tsup.config.ts) replaces this module with every template under
 * `templates/` precompiled (templateSpecs.ts). (`TemplateSpecification` is
 * Handlebars' global type.)
 */
export const precompiled: Readonly<Record<string, TemplateSpecification>> | null = null;
