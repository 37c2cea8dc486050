package io.kubehop.streaming.fault;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fault rules of one tier, and what they did (resets and cuts performed). Thread-safe: rules
 * change rarely (an operator's command), sockets read them on every byte, so the rules are one
 * immutable list behind a volatile field, and a socket with no rule pays that one read.
 */
public final class FaultTable {

  private final AtomicLong ids = new AtomicLong();
  private volatile List<FaultRule> rules = List.of();
  private final CopyOnWriteArraySet<Runnable> listeners = new CopyOnWriteArraySet<>();
  private final Map<String, LongAdder> events = new ConcurrentHashMap<>();

  /** The rules now, oldest first; the same list object until they change. */
  public List<FaultRule> rules() {
    return rules;
  }

  /** The rules that apply to a socket of {@code session} on {@code hop}. */
  public List<FaultRule> matching(Hop hop, String session) {
    List<FaultRule> all = rules;
    if (all.isEmpty()) {
      return all;
    }
    return all.stream().filter(r -> r.matches(hop, session)).toList();
  }

  /** Adds {@code request} under a new id and returns it as held. */
  public FaultRule add(FaultRule request) {
    FaultRule rule =
        new FaultRule(
            "f" + ids.incrementAndGet(),
            request.hop(),
            request.session(),
            request.fault(),
            Instant.now());
    synchronized (this) {
      List<FaultRule> next = new ArrayList<>(rules);
      next.add(rule);
      rules = List.copyOf(next);
    }
    changed();
    return rule;
  }

  /** Removes the rule with {@code id}; whether there was one. */
  public boolean remove(String id) {
    return removeIf(r -> r.id().equals(id)) > 0;
  }

  /** Removes every rule on {@code hop}, or every rule when it is empty; how many. */
  public int clear(Optional<Hop> hop) {
    return removeIf(r -> hop.isEmpty() || r.hop() == hop.get());
  }

  private int removeIf(java.util.function.Predicate<FaultRule> which) {
    int removed;
    synchronized (this) {
      List<FaultRule> next = new ArrayList<>(rules);
      int before = next.size();
      next.removeIf(which);
      removed = before - next.size();
      rules = List.copyOf(next);
    }
    if (removed > 0) {
      changed();
    }
    return removed;
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }

  /** Runs {@code listener} whenever the rules change, until {@link #unlisten}. */
  void listen(Runnable listener) {
    listeners.add(listener);
  }

  void unlisten(Runnable listener) {
    listeners.remove(listener);
  }

  /** How many sockets listen: the faulted sockets open now. */
  int listeners() {
    return listeners.size();
  }

  /** A fault acted on a socket of {@code hop} (a reset, a cut). */
  void event(Hop hop, Fault fault) {
    events.computeIfAbsent(key(hop, fault.type()), k -> new LongAdder()).increment();
  }

  /** How many times faults of {@code type} acted on sockets of {@code hop}. */
  public long events(Hop hop, String type) {
    LongAdder n = events.get(key(hop, type));
    return n == null ? 0 : n.sum();
  }

  /** How many rules of {@code type} are on {@code hop} now. */
  public long active(Hop hop, String type) {
    return rules.stream().filter(r -> r.hop() == hop && r.fault().type().equals(type)).count();
  }

  private static String key(Hop hop, String type) {
    return hop.label() + "/" + type;
  }
}
