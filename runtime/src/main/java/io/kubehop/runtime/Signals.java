package io.kubehop.runtime;

import sun.misc.Signal;

/**
 * Runs an action on SIGTERM and SIGINT instead of the JVM's default (exit status 143/130), so that
 * a process can stop cleanly with status 0 as nginx and the kubehop tiers do.
 */
public final class Signals {

  private Signals() {}

  /** Calls {@code action} (on the JVM's signal thread) when SIGTERM or SIGINT arrives. */
  @SuppressWarnings("sunapi")
  public static void onTerminate(Runnable action) {
    Signal.handle(new Signal("TERM"), signal -> action.run());
    Signal.handle(new Signal("INT"), signal -> action.run());
  }
}
