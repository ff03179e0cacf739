package dev.mallard.engine.storage;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import java.util.Locale;

/** Chooses the {@link FileIO} for a lake from the scheme of its data path. */
public final class FileIOs {
  private FileIOs() {}

  /**
   * Local files for plain paths and {@code file:} URLs, S3 for {@code s3://}; other schemes fail
   * with what to use instead.
   */
  public static FileIO forDataPath(String dataPath, S3Settings s3) {
    int colon = dataPath.indexOf("://");
    if (colon < 0 || dataPath.startsWith("file:")) {
      return new LocalFileIO();
    }
    String scheme = dataPath.substring(0, colon).toLowerCase(Locale.ROOT);
    if (scheme.equals("s3")) {
      return new S3FileIO(s3);
    }
    throw new UnsupportedFeatureException("Data paths with the scheme " + scheme + ":// are not supported yet ("
        + dataPath + "). Local paths and s3:// work; for GCS, R2, MinIO and other S3-compatible stores use an"
        + " s3:// data_path with the s3_endpoint option");
  }
}
