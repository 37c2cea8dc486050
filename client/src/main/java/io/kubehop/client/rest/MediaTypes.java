package io.kubehop.client.rest;

/** Accept and Content-Type values that kubectl sends (docs/wire-captures.md §4.3). */
public final class MediaTypes {

  public static final String JSON = "application/json";

  /** Accept of object GETs and writes. */
  public static final String JSON_ANY = "application/json, */*";

  /** Accept of {@code get} in human-readable mode: a meta.k8s.io/v1 Table, else plain JSON. */
  public static final String TABLE =
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

  public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";

  private MediaTypes() {
    throw new AssertionError("No instances.");
  }
}
