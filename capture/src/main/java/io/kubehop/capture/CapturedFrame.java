package io.kubehop.capture;

/**
 * One frame as a golden file holds it: a label saying what the frame is ({@code syn-stream-1},
 * {@code binary-stdin}), and its bytes in lower-case hex.
 */
record CapturedFrame(String label, String hex) {}
