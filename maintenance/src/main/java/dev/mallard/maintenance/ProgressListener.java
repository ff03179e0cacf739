package dev.mallard.maintenance;

/**
 * Hears how far a maintenance operation got. Called on the operation's thread after each unit of
 * work (a file deleted, a batch committed); must be quick and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = p -> { };

  void onProgress(Progress progress);

  /**
   * @param operation the reference's name, such as {@code merge_adjacent_files}
   * @param done units finished so far
   * @param total units planned (0 when unknown)
   * @param unit what is counted: {@code files}, {@code snapshots}, {@code rows}
   * @param detail the last unit, for humans
   */
  record Progress(String operation, long done, long total, String unit, String detail) {}
}
