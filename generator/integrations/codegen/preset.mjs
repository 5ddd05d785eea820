// graphql-codegen loads presets named in codegen.yml with import(); the
// package ships TypeScript sources, so this entry registers tsx first.
import { register } from 'tsx/esm/api';

register();
const mod = await import('./preset.ts');

export const preset = mod.preset;
export default mod.preset;
