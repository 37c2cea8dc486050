package io.kubehop.apiserver.storage;

/** Store-level failures; the REST layer maps them to Status errors with the resource's names. */
public abstract sealed class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  StoreException(String message) {
    super(message, null, false, false);
  }

  /** The key does not exist. */
  public static final class NotFound extends StoreException {
    private static final long serialVersionUID = 1L;

    public NotFound(StoreKey key) {
      super(key + " not found");
    }
  }

  /** The key exists already. */
  public static final class AlreadyExists extends StoreException {
    private static final long serialVersionUID = 1L;

    public AlreadyExists(StoreKey key) {
      super(key + " already exists");
    }
  }

  /** An update carried a stale resourceVersion. */
  public static final class Conflict extends StoreException {
    private static final long serialVersionUID = 1L;

    public Conflict(StoreKey key) {
      super(
          "the object has been modified; please apply your changes to the latest version and try again");
    }
  }

  /** A watch asked for history the store no longer keeps. */
  public static final class Expired extends StoreException {
    private static final long serialVersionUID = 1L;

    public Expired(long requested, long oldest) {
      super("too old resource version: " + requested + " (" + oldest + ")");
    }
  }
}
