/** One output of a target: a path under the output folder and its exact bytes. */
export interface GeneratedFile {
  /** POSIX path relative to the output folder (or to the config folder when `external`). */
  path: string;
  contents: string;
  /**
   * A user file edited in place (a `.proto`), outside the output folder. It is
   * compared and written like the others but never counted as an orphan.
   */
  external?: boolean;
}

/** A target turns the IR into files; pure: no disk, no clock, no globals. */
export type Target<Context> = (context: Context) => GeneratedFile[];
