/**
 * `trackhub-sync/runtime/server/tus`: the tus storage of file fields (README
 * "Media"). A subpath of its own so that apps without it never load
 * `@tus/server` (an optional peer dependency).
 */
export { tusStorage, UPLOAD_TOKEN_HEADER, type TusStorage, type TusStorageOptions } from '../storage/tus';
