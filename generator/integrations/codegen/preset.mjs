// Development entry of the preset (this repository's tests, which run the
// sources): registers tsx, then loads preset.ts. The published
// `trackhub-sync/codegen` and `trackhub-sync/codegen-preset` are dist/codegen.js.
import { register } from 'tsx/esm/api';

register();
const mod = await import('./preset.ts');

export const preset = mod.preset;
export default mod.preset;
