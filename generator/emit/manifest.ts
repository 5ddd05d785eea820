import { z } from 'zod';
import { inOutputFolder, type GeneratedFile } from './generatedFile';

/**
 * The output folder's manifest: the files trackhub-sync wrote there, the only
 * ones it ever replaces or deletes (README "Output layout"). A manifest rather
 * than the generated header alone, because not every output can carry a
 * comment (JSON) and a header can be copied into a hand-written file.
 */
export const MANIFEST_PATH = '.trackhub-sync-manifest.json';

const manifestSchema = z
  .object({
    generatedBy: z.literal('trackhub-sync'),
    about: z.string(),
    files: z.array(z.string()),
  })
  .strict();

const ABOUT = 'The files trackhub-sync wrote in this folder: the only ones it replaces or deletes. Do not edit.';

/** The manifest's bytes for `paths` (output-folder paths, the manifest itself excluded). */
export function serializeManifest(paths: Iterable<string>): string {
  const files = [...new Set(paths)].filter((p) => p !== MANIFEST_PATH).sort();
  return `${JSON.stringify({ generatedBy: 'trackhub-sync', about: ABOUT, files }, null, 2)}\n`;
}

/** The manifest of a generated tree, as one more generated file. */
export function manifestFile(files: readonly GeneratedFile[]): GeneratedFile {
  return { path: MANIFEST_PATH, contents: serializeManifest(files.filter(inOutputFolder).map((f) => f.path)) };
}

/** The paths a manifest lists, or null when the text is not a manifest. */
export function parseManifest(text: string): string[] | null {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.files : null;
  } catch {
    return null;
  }
}
