/** One output of a target: a path under the output folder and its exact bytes. */
export interface GeneratedFile {
  /** POSIX path relative to the output folder (or to the config folder when `external` or `history`). */
  path: string;
  contents: string;
  /**
   * A user file edited in place (a `.proto`), outside the output folder. It is
   * compared and written like the others but never counted as an orphan.
   */
  external?: boolean;
  /**
   * A snapshot of the migration history (outside the output folder, path
   * relative to the config folder). The history is append-only: a missing
   * file is created, an existing one is never replaced or deleted.
   */
  history?: boolean;
}

/** Whether a file lives in the output folder (and is listed in its manifest). */
export function inOutputFolder(file: GeneratedFile): boolean {
  return !file.external && !file.history;
}

/** A target turns the IR into files; pure: no disk, no clock, no globals. */
export type Target<Context> = (context: Context) => GeneratedFile[];
