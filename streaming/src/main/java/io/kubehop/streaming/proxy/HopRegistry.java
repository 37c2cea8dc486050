package io.kubehop.streaming.proxy;

import io.kubehop.streaming.record.RecordingInfo;
import io.kubehop.streaming.record.SessionRecorder;
import io.kubehop.streaming.record.SpdyRecordingTap;
import io.kubehop.streaming.trace.FrameTracer;
import io.kubehop.streaming.trace.SpdyFrameTap;
import io.kubehop.streaming.transport.SocketMeter;
import io.vertx.core.http.HttpConnection;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The streaming sessions of one tier, by session id: the hops it holds right now, and the last
 * {@value #REMEMBERED} that closed (a bounded ring, oldest dropped first), so that a client can ask
 * afterwards how its session ended.
 *
 * <p>The tier a session enters first {@linkplain #claim claims} its id: the client's own, if it is
 * well-formed and no live or remembered session has it, else a new one; so two sessions never share
 * an id there. Tiers behind it take the id they are given, may {@linkplain #expect say} what the
 * session is about, and {@linkplain #add add} hops. Every method is thread-safe; a lock is enough
 * at the rate sessions open.
 */
public final class HopRegistry {

  /** How many closed sessions are remembered. */
  public static final int REMEMBERED = 200;

  /**
   * A session id a client may choose ({@code X-Kubehop-Session}): lowercase letters, digits and
   * dashes, 8 to 63 characters, not starting with a dash.
   */
  public static final Pattern CLIENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{7,62}");

  private static final SecureRandom RANDOM = new SecureRandom();

  /** How long a tier behind the first waits for an expected session's hop. */
  private static final Duration EXPECTATION_TTL = Duration.ofMinutes(2);

  private record Expected(SessionSubject subject, long sinceNanos) {}

  private final String backendRole;
  private volatile FrameTracer frames = FrameTracer.OFF;
  private volatile SessionRecorder recorder = SessionRecorder.OFF;
  private volatile String clientRole = "client";
  private final int remembered;
  private final Set<HopSession> active = new LinkedHashSet<>();
  private final Map<String, SessionSubject> claimed = new HashMap<>();
  private final Map<String, Expected> expected = new HashMap<>();
  private final Deque<HopSession> closed = new ArrayDeque<>();
  private final List<Consumer<HopSession>> openListeners = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<HopSession, Duration>> upgradeListeners =
      new CopyOnWriteArrayList<>();
  private long closedBytesUp;
  private long closedBytesDown;

  /** A registry whose backends are reported as {@code backend}. */
  public HopRegistry() {
    this("backend");
  }

  /**
   * @param backendRole how this tier's next hop is named in reports, e.g. {@code kubelet} at the
   *     apiserver, {@code runtime} at the kubelet
   */
  public HopRegistry(String backendRole) {
    this(backendRole, REMEMBERED);
  }

  HopRegistry(String backendRole, int remembered) {
    this.backendRole = backendRole;
    this.remembered = remembered;
  }

  /** Traces the frames of this tier's sessions ({@code --trace-frames}); off by default. */
  public void traceFrames(FrameTracer tracer, String clientRole) {
    this.frames = tracer;
    this.clientRole = clientRole;
  }

  /** This tier's frame tracer ({@link FrameTracer#OFF} unless {@code --trace-frames}). */
  public FrameTracer frameTracer() {
    return frames;
  }

  /** How this tier's callers are named in traces: {@code client} at the apiserver. */
  String clientRole() {
    return clientRole;
  }

  /** How this tier's next hop is named in traces and reports. */
  String backendRole() {
    return backendRole;
  }

  /** Records this tier's exec and attach sessions ({@code --record-sessions}); off by default. */
  public void recordSessions(SessionRecorder recorder) {
    this.recorder = recorder;
  }

  /**
   * This tier's session recorder ({@link SessionRecorder#OFF} unless {@code --record-sessions}).
   */
  public SessionRecorder recorder() {
    return recorder;
  }

  /**
   * What reads along a SPDY connection of {@code session} between {@code near} (this tier's caller,
   * or this tier) and {@code far} (its next hop): the frame trace if the session is traced, the
   * recording if it is an exec or attach and sessions are recorded; empty when neither. Call it
   * before the connection's first frame (SPDY's header compression spans it), and close it when the
   * connection ends.
   */
  Optional<SpdyTaps> spdyTaps(String session, String near, String far) {
    SpdyTaps taps = new SpdyTaps();
    FrameTracer tracer = frames;
    if (tracer.traces(session)) {
      Map<Integer, String> types = SpdyFrameTap.streamTypes();
      SpdyFrameTap toFar = new SpdyFrameTap(tracer, session, near, far, types);
      SpdyFrameTap toNear = new SpdyFrameTap(tracer, session, far, near, types);
      taps.add(
          "frame trace",
          toFar,
          toNear,
          () -> {
            toFar.close();
            toNear.close();
          });
    }
    SessionRecorder sessions = recorder;
    SessionSubject subject = sessions.on() ? subjectOf(session) : null;
    if (subject != null
        && (subject.subresource().equals("exec") || subject.subresource().equals("attach"))) {
      SpdyRecordingTap recording =
          new SpdyRecordingTap(
              sessions.open(
                  new RecordingInfo(
                      session,
                      subject.subresource(),
                      subject.pod(),
                      subject.container(),
                      subject.command(),
                      subject.user())));
      taps.add(
          "session recording",
          recording.towardBackend(),
          recording.towardClient(),
          recording::close);
    }
    return taps.isEmpty() ? Optional.empty() : Optional.of(taps);
  }

  /** What {@code id} is about: as claimed or expected, or as its hop was told when added. */
  private synchronized SessionSubject subjectOf(String id) {
    SessionSubject subject = claimed.get(id);
    if (subject == null && expected.containsKey(id)) {
      subject = expected.get(id).subject();
    }
    for (HopSession hop : active) {
      if (subject == null && hop.id().equals(id)) {
        subject = hop.subject().orElse(null);
      }
    }
    return subject;
  }

  /** Whether {@code id} may be taken as a client's session id ({@link #CLIENT_ID}). */
  public static boolean isClientId(String id) {
    return id != null && CLIENT_ID.matcher(id).matches();
  }

  /** A new id: 16 lowercase hex digits. */
  public static String newId() {
    return String.format("%016x", RANDOM.nextLong());
  }

  /**
   * Takes {@code requested} as the id of a new session about {@code subject} when it is well-formed
   * and in use by no live, claimed or remembered session; otherwise a new id. The id stays claimed
   * until a hop with it is {@linkplain #add added} or it is {@linkplain #release released}.
   */
  public synchronized String claim(String requested, SessionSubject subject) {
    String id = isClientId(requested) && !inUse(requested) ? requested : null;
    while (id == null) {
      String fresh = newId();
      id = inUse(fresh) ? null : fresh;
    }
    claimed.put(id, subject);
    return id;
  }

  /**
   * What a tier behind the first says of a session it is about to relay: the id stays as given (the
   * first tier made it unique), and the hop added with it gets {@code subject}. An expectation
   * whose session never opens expires after two minutes.
   */
  public synchronized void expect(String id, SessionSubject subject) {
    long now = System.nanoTime();
    // A relayed request that never became a hop (refused, redirected) leaves its expectation
    // behind: they expire, so that the map stays as small as the sessions being set up.
    expected.values().removeIf(e -> now - e.sinceNanos() > EXPECTATION_TTL.toNanos());
    expected.put(id, new Expected(subject, now));
  }

  /** Gives up a claimed id whose session never opened (the upgrade was refused or failed). */
  public synchronized void release(String id) {
    claimed.remove(id);
  }

  private boolean inUse(String id) {
    return claimed.containsKey(id)
        || active.stream().anyMatch(h -> h.id().equals(id))
        || closed.stream().anyMatch(h -> h.id().equals(id));
  }

  /**
   * Holds {@code hop} until both its connections closed, then remembers it. A hop whose id was
   * claimed gets the claim's subject.
   */
  void add(HopSession hop) {
    synchronized (this) {
      SessionSubject subject = claimed.remove(hop.id());
      Expected expectation = expected.remove(hop.id());
      if (subject == null && expectation != null) {
        subject = expectation.subject();
      }
      hop.attach(subject, backendRole);
      active.add(hop);
    }
    openListeners.forEach(l -> l.accept(hop));
    hop.closeFuture().onComplete(v -> remember(hop));
  }

  /**
   * Holds an HTTP response this tier relays as it comes ({@code logs -f}) as a hop of kind {@link
   * HopSession.Kind#RELAYED}: {@code downstream} is the client's connection, {@code upstream} the
   * one to the next tier, or null where this tier reads the source itself. Its bytes toward the
   * client are what the response wrote ({@code bytesWritten}); end it with {@link
   * HopSession#relayEnded}.
   *
   * @param protocol e.g. {@code http/1.1 log}
   */
  public HopSession relay(
      String id,
      String target,
      String protocol,
      HttpConnection downstream,
      HttpConnection upstream,
      LongSupplier bytesTowardClient) {
    HopSession hop =
        new HopSession(
            id,
            target,
            HopSession.Kind.RELAYED,
            protocol,
            upstream == null ? null : protocol,
            downstream.localAddress(),
            downstream.remoteAddress(),
            upstream == null ? null : upstream.localAddress(),
            upstream == null ? null : upstream.remoteAddress(),
            () -> {
              downstream.close();
              if (upstream != null) {
                upstream.close();
              }
            });
    hop.countDownFrom(bytesTowardClient);
    hop.meter(
        SocketMeter.on(downstream), upstream == null ? Optional.empty() : SocketMeter.on(upstream));
    add(hop);
    return hop;
  }

  /** Runs {@code listener} with every hop this registry holds from now on, as it opens. */
  public void onOpen(Consumer<HopSession> listener) {
    openListeners.add(listener);
  }

  /**
   * Runs {@code listener} with every hop from now on once both its sides are upgraded, with the
   * time from the request's arrival at this tier to then.
   */
  public void onUpgraded(BiConsumer<HopSession, Duration> listener) {
    upgradeListeners.add(listener);
  }

  /** {@code hop}'s request arrived at {@code requestNanos} ({@link System#nanoTime()}). */
  void upgraded(HopSession hop, long requestNanos) {
    Duration took = Duration.ofNanos(System.nanoTime() - requestNanos);
    upgradeListeners.forEach(l -> l.accept(hop, took));
  }

  private synchronized void remember(HopSession hop) {
    if (active.remove(hop)) {
      closedBytesUp += hop.bytesUp();
      closedBytesDown += hop.bytesDown();
      closed.addLast(hop);
      while (closed.size() > remembered) {
        closed.removeFirst();
      }
    }
  }

  /** The hops held right now, oldest first. */
  public synchronized Collection<HopSession> active() {
    return List.copyOf(active);
  }

  /** The remembered closed sessions, oldest first. */
  public synchronized List<HopSession> closed() {
    return new ArrayList<>(closed);
  }

  /** The session with {@code id}: held, or remembered (the latest, should a later tier see two). */
  public synchronized Optional<HopSession> find(String id) {
    HopSession found = null;
    for (HopSession h : closed) {
      if (h.id().equals(id)) {
        found = h;
      }
    }
    for (HopSession h : active) {
      if (h.id().equals(id)) {
        found = h;
      }
    }
    return Optional.ofNullable(found);
  }

  /** Bytes relayed toward the backends since this registry was made, by open and closed hops. */
  public synchronized long bytesUp() {
    return closedBytesUp + active.stream().mapToLong(HopSession::bytesUp).sum();
  }

  /** Bytes relayed toward the clients since this registry was made, by open and closed hops. */
  public synchronized long bytesDown() {
    return closedBytesDown + active.stream().mapToLong(HopSession::bytesDown).sum();
  }

  /** How many hops are held right now. */
  public synchronized int size() {
    return active.size();
  }
}
